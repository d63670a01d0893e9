using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.InMemory;
using Tessera.Sessions;

namespace Tessera.LoadTarget.Scenarios;

/// <summary>
/// Tessera's bearer handler (<c>AddTesseraBearer</c>) with fixed <c>Keys</c>: signature, <c>typ</c>,
/// <c>iss</c>, <c>aud</c>, <c>exp</c> checked locally; with <paramref name="checkSid"/>, the token's
/// session is also checked for revocation on every request.
/// </summary>
public sealed class TesseraBearerScenario(string algorithm, bool checkSid) : ITargetScenario
{
    public bool Authenticates => true;

    public async Task ConfigureAsync(WebApplicationBuilder builder, TargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (checkSid)
        {
            throw new NotSupportedException("the sid revocation check is not wired yet");
        }

        ISessionStore sessions = new InMemorySessionStore();
        BenchTokenIssuer issuer = await BenchTokenIssuer.CreateAsync(algorithm, sessions);
        builder.Services.AddSingleton(issuer);
        builder.Services.AddAuthentication(TesseraBearerDefaults.AuthenticationScheme).AddTesseraBearer(bearer =>
        {
            bearer.Keys = issuer.VerificationKeys;
            bearer.ValidIssuer = BenchTokenIssuer.Issuer;
            bearer.Audience = issuer.Audience;
            // Exactly the one algorithm of the scenario; HS256 must be allowed explicitly.
            bearer.AllowedAlgorithms.Clear();
            bearer.AllowedAlgorithms.Add(algorithm);
        });
        builder.Services.AddAuthorization();
    }

    public void MapSignIn(WebApplication app) => BearerSignIn.Map(app);

    // The issuer ends the token's session; whether this API notices is what the harness checks.
    public Task RevokeAsync(HttpContext context) => BearerSignIn.RevokeAsync(context);

    public Task PrepareAsync(IServiceProvider services, TargetOptions options) => Task.CompletedTask;
}
