using Tessera.AspNetCore.Authentication.Bearer;
using StackExchange.Redis;
using Tessera.InMemory;
using Tessera.Redis;
using Tessera.Sessions;

namespace Tessera.LoadTarget.Scenarios;

/// <summary>
/// Tessera's bearer handler (<c>AddTesseraBearer</c>) with fixed <c>Keys</c>: signature, <c>typ</c>,
/// <c>iss</c>, <c>aud</c>, <c>exp</c> checked locally; with <paramref name="checkSid"/>, the token's
/// <c>sid</c> is also looked up on the Redis revocation list (<c>RevocationList</c>) on every request;
/// with <paramref name="pushed"/> too, that list is the pushed one (#13): a local set kept current by
/// the store's pub/sub feed, no round trip per request.
/// </summary>
public sealed class TesseraBearerScenario(string algorithm, bool checkSid, bool pushed = false) : ITargetScenario
{
    public bool Authenticates => true;

    public bool UsesTesseraMiddleware => true;

    public async Task ConfigureAsync(WebApplicationBuilder builder, TargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // With the check, token sessions live in Redis: revoking one there puts its sid on the
        // revocation list that the bearer handler reads (one EXISTS per request).
        IConnectionMultiplexer? redis = checkSid ? await BenchRedis.ConnectAsync(options) : null;
        ISessionStore sessions = redis is null ? new InMemorySessionStore() : new RedisSessionStore(redis, new RedisSessionStoreOptions(), TimeProvider.System);
        ArgumentNullException.ThrowIfNull(options);
        // With --data the key ring is kept there: a restarted or second target verifies the same tokens.
        BenchTokenIssuer issuer = await BenchTokenIssuer.CreateAsync(algorithm, sessions, options.DataDirectory);
        builder.Services.AddSingleton(issuer);
        builder.Services.AddAuthentication(TesseraBearerDefaults.AuthenticationScheme).AddTesseraBearer(bearer =>
        {
            bearer.Keys = issuer.VerificationKeys;
            bearer.ValidIssuer = BenchTokenIssuer.Issuer;
            bearer.Audience = issuer.Audience;
            // Exactly the one algorithm of the scenario; HS256 must be allowed explicitly.
            bearer.AllowedAlgorithms.Clear();
            bearer.AllowedAlgorithms.Add(algorithm);
            if (redis is not null)
            {
                var polled = new RedisSessionRevocationList(redis);
                bearer.RevocationList = pushed
                    ? new Tessera.Sessions.Changes.PushedSessionRevocationList(new RedisSessionChangeFeed(redis), polled, polled, new Tessera.Sessions.Changes.PushedRevocationListOptions(), TimeProvider.System)
                    : polled;
            }
        });
        builder.Services.AddAuthorization();
    }

    public void MapSignIn(WebApplication app) => BearerSignIn.Map(app);

    // The issuer ends the token's session; whether this API notices is what the harness checks.
    public Task RevokeAsync(HttpContext context) => BearerSignIn.RevokeAsync(context);

    public Task PrepareAsync(IServiceProvider services, TargetOptions options) => Task.CompletedTask;
}
