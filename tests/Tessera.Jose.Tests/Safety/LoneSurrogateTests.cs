using Tessera.Jose.Json;
using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Safety;

/// <summary>
/// Half of a surrogate pair escaped alone (<c>"\ud800"</c>) is refused as malformed wherever JOSE
/// JSON is read: JSON's grammar allows the escape, but the string is no text (RFC 8259 §8.2,
/// I-JSON RFC 7493 §2.1), and .NET's reader accepts it while parsing and throws only when the
/// string is read, later, in a caller's hands. A pair, and an escaped backslash before a <c>u</c>, are text.
/// </summary>
public class LoneSurrogateTests
{
    private const string Exp = "{\"exp\":4102444800";

    public static TheoryData<string> Headers => new()
    {
        """{"alg":"HS256","kid":"\ud800"}""",
        """{"alg":"HS256","typ":"JWT\udbff"}""",
        """{"alg":"HS256","x":"\udc00"}""",
        """{"alg":"HS256","\ud83d":1}""",
        """{"alg":"HS256","x":["a","\ud800b"]}""",
        """{"alg":"HS256","x":{"y":"\ud83d\ud83d"}}""",
    };

    public static TheoryData<string> Payloads => new()
    {
        Exp + ""","sub":"\ud800"}""",
        Exp + ""","jti":"a\udfffb"}""",
        Exp + ""","x":"\udc00"}""",
        Exp + ""","\ud83d":1}""",
        Exp + ""","roles":["admin","\ud800"]}""",
        Exp + ""","x":{"y":"\ude00\ud83d"}}""",
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void InTheHeaderItIsRefused(string header)
    {
        string token = RawJws.Hmac(header, Exp + "}", TestKeys.OctetSecret);

        Assert.Equal(JoseErrorCodes.Malformed, new JwsVerifier().Verify(token, TestKeys.Octet).Error?.Code);
        Assert.Equal(JoseErrorCodes.Malformed, new JwtValidator(new JwtValidationPolicy()).Validate(token, TestKeys.Octet).Error?.Code);
        Assert.False(JwtDecoder.TryDecodeUnverified(token, out _, out JoseError? decodeError));
        Assert.Equal(JoseErrorCodes.Malformed, decodeError!.Code);
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void InTheClaimsItIsRefused(string payload)
    {
        string token = RawJws.Hmac("""{"alg":"HS256"}""", payload, TestKeys.OctetSecret);

        var validator = new JwtValidator(new JwtValidationPolicy());
        Assert.Equal(JoseErrorCodes.Malformed, validator.Validate(token, TestKeys.Octet).Error?.Code);
        Assert.Equal(JoseErrorCodes.Malformed, new VerifiedTokenCache().Validate(validator, token, TestKeys.Octet.SingleKeySet).Error?.Code);
        Assert.False(JwtDecoder.TryDecodeUnverified(token, out _, out JoseError? decodeError));
        Assert.Equal(JoseErrorCodes.Malformed, decodeError!.Code);
        Assert.Null(JoseJson.TryParse(System.Text.Encoding.UTF8.GetBytes(payload), out JoseError? parseError));
        Assert.Equal(JoseErrorCodes.Malformed, parseError!.Code);
    }

    [Fact]
    public void APairAndAnEscapedBackslashBeforeAUAreText()
    {
        string token = RawJws.Hmac("""{"alg":"HS256","x":"\ud83d\ude00"}""", Exp + ""","sub":"\ud83d\ude00","y":"\\ud800"}""", TestKeys.OctetSecret);

        JwtValidation validation = new JwtValidator(new JwtValidationPolicy()).Validate(token, TestKeys.Octet);

        Assert.True(validation.IsValid, validation.Error?.Message);
        Assert.Equal("\U0001F600", validation.Claims!.Subject);
        Assert.Equal("\\ud800", validation.Claims.Root.GetProperty("y").GetString());
    }

    [Theory]
    [InlineData("""{"kty":"\ud800"}""")]
    [InlineData("""{"kty":"EC","crv":"P-256\udc00","x":"AAAA","y":"AAAA"}""")]
    [InlineData("""{"kty":"oct","k":"AAAA","kid":"\ud83d"}""")]
    public void AJwkWithOneIsRefusedWithAnError(string json)
    {
        Assert.False(Jwk.TryParse(json, out _, out JoseError? error));
        Assert.Equal(JoseErrorCodes.Malformed, error!.Code);
        Assert.False(JwkSet.TryParse("{\"keys\":[" + json + "]}", out _, out JoseError? setError));
        Assert.NotNull(setError);
    }
}
