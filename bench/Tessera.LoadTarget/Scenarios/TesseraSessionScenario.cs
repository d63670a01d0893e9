using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Http;
using Tessera.InMemory;
using Tessera.Redis;
using Tessera.Sessions;
using Tessera.Sqlite;

namespace Tessera.LoadTarget.Scenarios;

public enum SessionStoreKind
{
    Memory,
    Sqlite,
    Redis,

    /// <summary>Redis behind the near cache (#13): reads answered from memory, invalidated by the store's pub/sub feed.</summary>
    RedisNearCache,

    /// <summary>PostgreSQL (#13 capacity): one statement per lookup.</summary>
    Postgres,

    /// <summary>PostgreSQL behind the near cache, invalidated by the LISTEN/NOTIFY change feed.</summary>
    PostgresNearCache,
}

/// <summary>
/// Tessera's session cookie handler (<c>AddTesseraSessionCookie</c>) over one session store: every
/// request hashes the cookie's secret, looks the session up and checks it.
/// </summary>
public sealed class TesseraSessionScenario(SessionStoreKind store) : ITargetScenario
{
    public bool Authenticates => true;

    public bool UsesTesseraMiddleware => true;

    public async Task ConfigureAsync(WebApplicationBuilder builder, TargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        IServiceCollection services = builder.Services;
        services.AddSingleton(await CreateStoreAsync(options));
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<TesseraSessionOptions>();
        services.AddSingleton(sp => new SessionService(sp.GetRequiredService<ISessionStore>(), sp.GetRequiredService<IOptions<TesseraSessionOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        // The handler writes its 401s as problem+json.
        services.AddProblemDetails();
        services.AddAuthentication(SessionCookieDefaults.AuthenticationScheme).AddTesseraSessionCookie();
        services.AddAuthorization();
    }

    public void MapSignIn(WebApplication app) =>
        app.MapPost(SignIn.Path, async (HttpContext context, SessionService sessions, IOptionsMonitor<SessionCookieOptions> cookie) =>
        {
            if (SignIn.UserFrom(context) is not { } user)
            {
                return Results.BadRequest();
            }

            // The same two steps as Tessera's sign-in endpoint after the password check.
            IssuedSession issued = await sessions.CreateAsync(user, ClientInfo.From(context), context.RequestAborted);
            SessionCookies.Write(context.Response, cookie.Get(SessionCookieDefaults.AuthenticationScheme).CookieName, issued.Secret);
            return Results.NoContent();
        });

    public async Task RevokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SessionService sessions = context.RequestServices.GetRequiredService<SessionService>();
        await sessions.RevokeAsync(context.User.FindFirst(TesseraClaimTypes.SessionId)!.Value, RevocationReasons.SignedOut, context.RequestAborted);
    }

    public async Task PrepareAsync(IServiceProvider services, TargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SessionService sessions = services.GetRequiredService<SessionService>();
        await BackgroundSessions.CreateAsync(options.BackgroundSessions, (user, ct) => sessions.CreateAsync(user, new SessionClient("127.0.0.1", null), ct));
    }

    private async Task<ISessionStore> CreateStoreAsync(TargetOptions options)
    {
        switch (store)
        {
            case SessionStoreKind.Memory:
                return new InMemorySessionStore();
            case SessionStoreKind.Sqlite:
                string folder = options.DataDirectory ?? throw new ArgumentException("the SQLite scenario needs --data DIR");
                Directory.CreateDirectory(folder);
                var database = new SqliteDatabase(Path.Combine(folder, "sessions.db"));
                await database.MigrateAsync(TesseraSqliteSchema.Migrations, CancellationToken.None);
                return new SqliteSessionStore(database);
            case SessionStoreKind.Redis:
                return new RedisSessionStore(await BenchRedis.ConnectAsync(options), new RedisSessionStoreOptions(), TimeProvider.System);
            case SessionStoreKind.RedisNearCache:
                // Tessera:Redis:NearCache's defaults, built as RedisChangesRegistration builds them.
                StackExchange.Redis.IConnectionMultiplexer redis = await BenchRedis.ConnectAsync(options);
                var inner = new RedisSessionStore(redis, new RedisSessionStoreOptions(), TimeProvider.System);
                return Tessera.Sessions.Changes.NearCachedSessionStore.Create(inner, new RedisSessionChangeFeed(redis), new Tessera.Sessions.Changes.SessionNearCacheOptions(), TimeProvider.System);
            case SessionStoreKind.Postgres or SessionStoreKind.PostgresNearCache:
                return await PostgresSessionStores.CreateAsync(options, nearCache: store == SessionStoreKind.PostgresNearCache);
            default:
                throw new ArgumentOutOfRangeException(nameof(options), store, "unknown session store");
        }
    }
}
