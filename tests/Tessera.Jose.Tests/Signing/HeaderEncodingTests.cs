using Tessera.Jose.Encoding;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Tests.Signing;

public class HeaderEncodingTests
{
    [Fact]
    public void AccessTokenTypeIsWrittenWithoutEscapingThePlusSign()
    {
        Jwk key = Jwk.Generate("ES256", keyId: "k+1/é");
        string token = JwtSigner.Sign(new JwtDescriptor { Subject = "a+b", ExpiresAt = DateTimeOffset.UnixEpoch.AddYears(100), Type = "at+jwt" }, key);

        string header = System.Text.Encoding.UTF8.GetString(StrictBase64Url.DecodeOrNull(token.Split('.')[0])!);
        string payload = System.Text.Encoding.UTF8.GetString(StrictBase64Url.DecodeOrNull(token.Split('.')[1])!);

        Assert.Equal("""{"alg":"ES256","kid":"k+1/é","typ":"at+jwt"}""", header);
        Assert.Contains("\"sub\":\"a+b\"", payload, StringComparison.Ordinal);
    }

    [Fact]
    public void QuotesAndControlCharactersAreStillEscaped()
    {
        Jwk key = Jwk.Generate("HS256", keyId: "a\"b\n");
        string token = JwtSigner.Sign(new JwtDescriptor { ExpiresAt = DateTimeOffset.UnixEpoch.AddYears(100) }, key);

        string header = System.Text.Encoding.UTF8.GetString(StrictBase64Url.DecodeOrNull(token.Split('.')[0])!);

        Assert.Contains("""
            "kid":"a\"b\n"
            """.Trim(), header, StringComparison.Ordinal);
    }
}
