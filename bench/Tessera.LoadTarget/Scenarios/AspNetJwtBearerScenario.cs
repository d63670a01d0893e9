using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Tessera.InMemory;

namespace Tessera.LoadTarget.Scenarios;

/// <summary>
/// ASP.NET Core's own <c>AddJwtBearer</c> on the same ES256 tokens as <see cref="TesseraBearerScenario"/>,
/// checking the same things (signature with ES256 only, <c>typ</c> at+jwt, <c>iss</c>, <c>aud</c>,
/// lifetime, 60 s skew). The keys are given directly: no metadata fetch. Everything else is left
/// at its defaults (claim type mapping included), as an application would have it.
/// </summary>
public sealed class AspNetJwtBearerScenario : ITargetScenario
{
    private const string Algorithm = "ES256";

    public bool Authenticates => true;

    public bool UsesTesseraMiddleware => false;

    public async Task ConfigureAsync(WebApplicationBuilder builder, TargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        BenchTokenIssuer issuer = await BenchTokenIssuer.CreateAsync(Algorithm, new InMemorySessionStore());
        builder.Services.AddSingleton(issuer);
        JsonWebKey[] keys = [.. issuer.VerificationKeys.Keys.Select(k => new JsonWebKey(k.ToJson()))];
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(bearer =>
        {
            bearer.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = BenchTokenIssuer.Issuer,
                ValidAudience = issuer.Audience,
                IssuerSigningKeys = keys,
                ValidAlgorithms = [Algorithm],
                ValidTypes = [BenchTokenIssuer.AccessTokenType],
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(60),
            };
        });
        builder.Services.AddAuthorization();
    }

    public void MapSignIn(WebApplication app) => BearerSignIn.Map(app);

    // The issuer ends the token's session; whether this API notices is what the harness checks.
    public Task RevokeAsync(HttpContext context) => BearerSignIn.RevokeAsync(context);

    public Task PrepareAsync(IServiceProvider services, TargetOptions options) => Task.CompletedTask;
}
