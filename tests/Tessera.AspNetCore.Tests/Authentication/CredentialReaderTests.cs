using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Tessera.AspNetCore.Authentication;

namespace Tessera.AspNetCore.Tests.Authentication;

public sealed class CredentialReaderTests
{
    private const string Jws = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln-_";
    private const string CookieName = "__Host-tessera-at";

    [Theory]
    [InlineData("Bearer " + Jws)]
    [InlineData("bearer " + Jws)]
    [InlineData("BEARER " + Jws)]
    [InlineData("Bearer    " + Jws)]
    [InlineData("  Bearer " + Jws + " \t")]
    public void WellFormedBearerIsReadInAnyCasingWithAnyNumberOfSpaces(string header)
    {
        BearerCredential credential = CredentialReader.ReadBearer(header);

        Assert.Equal(CredentialPresence.Present, credential.Presence);
        Assert.Equal(Jws, credential.Token);
    }

    [Theory]
    [InlineData("abc==")]
    [InlineData("a+b/c~d_e-f.g")]
    [InlineData("0")]
    public void EveryB64TokenCharacterIsAccepted(string token) =>
        Assert.Equal(token, CredentialReader.ReadBearer("Bearer " + token).Token);

    [Theory]
    [InlineData("Bearer")]
    [InlineData("bearer ")]
    [InlineData("Bearer a b")]
    [InlineData("Bearer a,b")]
    [InlineData("Bearer ==")]
    [InlineData("Bearer ab=c")]
    [InlineData("Bearer tok\"en")]
    [InlineData("Bearer tökén")]
    [InlineData("Bearer " + Jws + ", Bearer " + Jws)]
    public void BearerSchemeWithABadTokenIsMalformed(string header)
    {
        BearerCredential credential = CredentialReader.ReadBearer(header);

        Assert.Equal(CredentialPresence.Malformed, credential.Presence);
        Assert.Null(credential.Token);
        Assert.False(string.IsNullOrEmpty(credential.Problem));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Basic YTpi")]
    [InlineData("Bearerabc")]
    [InlineData("Bearer\tabc")]
    [InlineData("DPoP abc")]
    public void OtherSchemesAreAbsentNotMalformed(string header) =>
        Assert.Equal(CredentialPresence.Absent, CredentialReader.ReadBearer(header).Presence);

    [Fact]
    public void NoHeaderIsAbsent() =>
        Assert.Equal(CredentialPresence.Absent, CredentialReader.ReadBearer(StringValues.Empty).Presence);

    [Fact]
    public void TwoAuthorizationHeadersWithABearerAreMalformed() =>
        Assert.Equal(CredentialPresence.Malformed, CredentialReader.ReadBearer(new StringValues(["Bearer " + Jws, "Bearer " + Jws])).Presence);

    [Fact]
    public void TwoAuthorizationHeadersWithoutABearerAreAbsent() =>
        Assert.Equal(CredentialPresence.Absent, CredentialReader.ReadBearer(new StringValues(["Basic YTpi", "Basic YTpj"])).Presence);

    [Fact]
    public void HeaderWinsOverTheAccessTokenCookie()
    {
        HttpRequest request = Request("Bearer header-token", cookie: "cookie-token");

        Assert.Equal("header-token", CredentialReader.ReadAccessToken(request, CookieName).Token);
    }

    [Fact]
    public void CookieIsReadWhenTheHeaderNamesNoBearer()
    {
        Assert.Equal("cookie-token", CredentialReader.ReadAccessToken(Request(null, cookie: "cookie-token"), CookieName).Token);
        Assert.Equal("cookie-token", CredentialReader.ReadAccessToken(Request("Basic YTpi", cookie: "cookie-token"), CookieName).Token);
    }

    [Fact]
    public void MalformedHeaderDoesNotFallBackToTheCookie() =>
        Assert.Equal(CredentialPresence.Malformed, CredentialReader.ReadAccessToken(Request("Bearer", cookie: "cookie-token"), CookieName).Presence);

    [Fact]
    public void CookieIsIgnoredWithoutACookieName() =>
        Assert.Equal(CredentialPresence.Absent, CredentialReader.ReadAccessToken(Request(null, cookie: "cookie-token"), cookieName: null).Presence);

    [Fact]
    public void CookieThatIsNoB64TokenIsMalformed()
    {
        Assert.Equal(CredentialPresence.Malformed, CredentialReader.ReadAccessToken(Request(null, cookie: "a%20b"), CookieName).Presence);
        Assert.Equal(CredentialPresence.Malformed, CredentialReader.ReadAccessToken(Request(null, cookie: "a!b"), CookieName).Presence);
    }

    [Theory]
    [InlineData("Basic ", "client:s3cret", "client", "s3cret")]
    [InlineData("basic   ", "client:s3cret", "client", "s3cret")]
    [InlineData("Basic ", "client:a:b:c", "client", "a:b:c")]
    [InlineData("Basic ", "client:", "client", "")]
    [InlineData("Basic ", "clïent:pässword", "clïent", "pässword")]
    public void BasicIsDecodedAndSplitAtTheFirstColon(string prefix, string pair, string userId, string password)
    {
        BasicCredential? credential = CredentialReader.ReadBasic(prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));

        Assert.NotNull(credential);
        Assert.Equal((userId, password), (credential.UserId, credential.Password));
    }

    [Theory]
    [InlineData("Basic")]
    [InlineData("Basic ")]
    [InlineData("Basic not base64!")]
    [InlineData("Bearer Y2xpZW50OnNlY3JldA==")]
    [InlineData("Basic Y2xpZW50")] // "client": no colon
    [InlineData("Basic //79")] // not UTF-8
    public void BadBasicIsNull(string header) => Assert.Null(CredentialReader.ReadBasic(header));

    [Fact]
    public void TwoBasicHeadersAreNull() =>
        Assert.Null(CredentialReader.ReadBasic(new StringValues(["Basic Y2xpZW50OnNlY3JldA==", "Basic Y2xpZW50OnNlY3JldA=="])));

    [Fact]
    public void SecretsNeverReachToString()
    {
        Assert.DoesNotContain(Jws, CredentialReader.ReadBearer("Bearer " + Jws).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", CredentialReader.ReadBasic("Basic " + Convert.ToBase64String("client:s3cret"u8))!.ToString(), StringComparison.Ordinal);
    }

    private static HttpRequest Request(string? authorization, string? cookie)
    {
        var context = new DefaultHttpContext();
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        if (cookie is not null)
        {
            context.Request.Headers.Cookie = $"{CookieName}={cookie}";
        }

        return context.Request;
    }
}
