using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Tessera.AspNetCore.Tests.Bearer;

/// <summary>
/// The same tokens, from the same in-test issuer, through Tessera's handler and through
/// Microsoft's <c>AddJwtBearer</c> configured to the same rules: both must accept and refuse alike.
/// </summary>
public sealed class MicrosoftJwtBearerAgreementTests : BearerTestBase
{
    [Theory]
    [MemberData(nameof(TokenCases.All), MemberType = typeof(TokenCases))]
    public async Task TesseraAndMicrosoftJwtBearerAgreeOnEveryToken(string tokenCase)
    {
        ResourceServer api = await StartBothAsync();
        string token = TokenCases.Build(Issuer, Time, tokenCase);

        HttpStatusCode tessera = (await api.GetAsync("/me", token)).StatusCode;
        HttpStatusCode microsoft = (await api.GetAsync("/ms/me", token)).StatusCode;

        Assert.Equal(tokenCase.StartsWith("valid", StringComparison.Ordinal) ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, tessera);
        Assert.Equal(tessera, microsoft);
    }

    /// <summary>
    /// The one known disagreement: RFC 7519 leaves <c>iat</c> informational, and Microsoft's handler
    /// ignores it; Tessera refuses a token claiming to be issued in the future (beyond the skew),
    /// since no honest issuer writes one.
    /// </summary>
    [Fact]
    public async Task OnlyTesseraRefusesATokenIssuedInTheFuture()
    {
        ResourceServer api = await StartBothAsync();
        string token = TokenCases.Build(Issuer, Time, "issued-in-the-future");

        await AssertRefusedAsync(await api.GetAsync("/me", token), "not_yet_valid");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/ms/me", token)).StatusCode);
    }

    private Task<ResourceServer> StartBothAsync() => StartApiAsync(microsoft: o =>
    {
        o.Authority = Issuer.Authority;
        o.Audience = FakeIssuer.Audience;
        o.RequireHttpsMetadata = false;
        o.MapInboundClaims = false;
        o.TokenValidationParameters.ValidTypes = ["at+jwt"];
        o.TokenValidationParameters.ValidAlgorithms = ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];
        o.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(60);
    });
}
