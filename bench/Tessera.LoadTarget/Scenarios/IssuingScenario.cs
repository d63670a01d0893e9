using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Tessera.AspNetCore;
using Tessera.AspNetCore.Clients;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.RateLimiting;
using Tessera.AspNetCore.Tokens;
using Tessera.Passwords;
using Tessera.PostgreSql;
using Tessera.Sessions;
using Tessera.Sqlite;
using Tessera.Tokens;

namespace Tessera.LoadTarget.Scenarios;

/// <summary>
/// The issuing side (#13): Tessera's real endpoints and middleware (<c>AddTessera</c>,
/// <c>UseTessera</c>, <c>MapTesseraAuth</c>, <c>MapTesseraTokens</c>) on SQLite or PostgreSQL,
/// configured as the server is (options bound from <c>Tessera:*</c>) with default costs (ES256,
/// Argon2id 19 MiB × 2). Only the rate limits are raised (a benchmark is one client sending as fast
/// as it can; the limiter still runs on every request) and the password-hash queue lengthened (so
/// sign-ins wait for the hasher instead of being turned away with 503). What wrk sends comes from
/// <see cref="IssuingBench.FeedPath"/>, issued through the same services the endpoints use.
/// </summary>
public sealed class IssuingScenario(IssuingOperation operation, IssuingStore store) : ITargetScenario
{
    // Token sessions per pre-created user: under Tessera:Sessions:MaxSessionsPerUser (50 by default),
    // so none is ended by the per-user cap, and few enough that the cap's look-up of the user's
    // sessions on every sign-in stays as cheap as for a real user.
    private const int SessionsPerUser = 20;

    // UseTessera adds authentication itself; the harness's /bench/whoami is not measured here.
    public bool Authenticates => false;

    public bool UsesTesseraMiddleware => false;

    public Task ConfigureAsync(WebApplicationBuilder builder, TargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.Configuration.AddInMemoryCollection(Settings());
        IConfiguration configuration = builder.Configuration;
        IServiceCollection services = builder.Services;
        services.AddTessera();
        services.AddOptions<TesseraTokenOptions>().Bind(configuration.GetSection("Tessera:Tokens"));
        services.AddOptions<PasswordHashingLimits>().Bind(configuration.GetSection("Tessera:PasswordHashing"));
        services.AddOptions<TesseraRateLimitOptions>().Bind(configuration.GetSection("Tessera:RateLimits"));
        services.AddOptions<TesseraIntrospectionOptions>().Configure(o => o.Clients[IssuingBench.IntrospectionClientId] = IssuingBench.IntrospectionClientSecret);
        services.AddTesseraClients(configuration.GetSection(TesseraClientsOptions.Section));
        if (store == IssuingStore.Sqlite)
        {
            string folder = options.DataDirectory ?? throw new ArgumentException("the SQLite issuing scenarios need --data DIR");
            Directory.CreateDirectory(folder);
            services.AddTesseraSqlite(Path.Combine(folder, "tessera.db"));
            services.AddDataProtection().UseEphemeralDataProtectionProvider();
        }
        else
        {
            services.AddTesseraPostgres(options.PostgresConnection ?? throw new ArgumentException("the PostgreSQL issuing scenarios need --postgres CONNECTION"));
            if (store == IssuingStore.PostgresNearCache)
            {
                // As the server does for Tessera:Postgres:ChangeFeed:Enabled and Tessera:Postgres:NearCache:Enabled.
                services.AddTesseraPostgresChangeFeed();
                services.Configure<TesseraPostgresOptions>(o => o.NearCache.Enabled = true);
            }
        }

        services.AddSingleton<IssuingFeed>();
        return Task.CompletedTask;
    }

    public void MapSignIn(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseTessera();
        app.MapTesseraAuth();
        app.MapTesseraTokens();
        app.MapPost(IssuingBench.FeedPath, async (HttpContext context, IssuingFeed feed, int count) =>
            count is < 1 or > 1_000_000
                ? Results.BadRequest()
                : Results.Text(await feed.CreateAsync(operation, count, context, context.RequestAborted), "text/plain"));
        app.MapPost(IssuingBench.HashPath, (IssuingFeed feed, int milliseconds) =>
            milliseconds is < 1 or > 600_000
                ? Results.BadRequest()
                : Results.Text(feed.HashFor(TimeSpan.FromMilliseconds(milliseconds)).ToString(CultureInfo.InvariantCulture), "text/plain"));
    }

    public Task RevokeAsync(HttpContext context) => Task.CompletedTask;

    public Task PrepareAsync(IServiceProvider services, TargetOptions options) => Task.CompletedTask;

    private static Dictionary<string, string?> Settings()
    {
        const string Unlimited = "1000000000";
        var settings = new Dictionary<string, string?>
        {
            ["Tessera:Tokens:Issuer"] = IssuingBench.Issuer,
            ["Tessera:PasswordHashing:MaxQueued"] = "1024",
            ["Tessera:PasswordHashing:MaxWait"] = "00:00:30",
            [$"{TesseraClientsOptions.Section}:{IssuingBench.ServiceClientId}:Type"] = "confidential",
            [$"{TesseraClientsOptions.Section}:{IssuingBench.ServiceClientId}:TokenEndpointAuthMethod"] = "client_secret_basic",
            [$"{TesseraClientsOptions.Section}:{IssuingBench.ServiceClientId}:Secret"] = IssuingBench.ServiceClientSecret,
            [$"{TesseraClientsOptions.Section}:{IssuingBench.ServiceClientId}:GrantTypes:0"] = "client_credentials",
            [$"{TesseraClientsOptions.Section}:{IssuingBench.ServiceClientId}:Scopes:0"] = IssuingBench.ServiceScope,
        };
        foreach (string limit in new[] { "SignInPerClient", "SignInPerAccount", "TokenPerClient", "IntrospectPerClient" })
        {
            settings[$"Tessera:RateLimits:{limit}:PermitLimit"] = Unlimited;
        }

        return settings;
    }

    /// <summary>
    /// Makes what wrk sends, through the services the endpoints use: users in the user store (one
    /// Argon2id hash, shared, so creating them is quick), token sessions from
    /// <see cref="TokenService.IssueAsync(string, SessionClient, string, CancellationToken)"/>.
    /// </summary>
    internal sealed class IssuingFeed(IServiceProvider services)
    {
        private readonly Lazy<string> _passwordHash = new(() => services.GetRequiredService<IPasswordHasher>().Hash(IssuingBench.Password));

        public async Task<string> CreateAsync(IssuingOperation operation, int count, HttpContext context, CancellationToken cancellationToken)
        {
            switch (operation)
            {
                case IssuingOperation.ClientCredentials:
                    return $"grant_type=client_credentials&scope={IssuingBench.ServiceScope}\n";
                case IssuingOperation.PasswordSignIn:
                    IReadOnlyList<string> ids = await CreateUsersAsync(count, cancellationToken);
                    return Lines(ids.Select(UsernameOf).Select(name => $$"""{"username":"{{name}}","password":"{{IssuingBench.Password}}"}"""));
                default:
                    IReadOnlyList<IssuedTokens> issued = await IssueAsync(count, context, cancellationToken);
                    return operation switch
                    {
                        IssuingOperation.Refresh => Lines(issued.Select(t => t.RefreshToken)),
                        IssuingOperation.Introspection => Lines(issued.Select(t => "token=" + t.AccessToken)),
                        IssuingOperation.Revocation => Lines(issued.Select(t => "token=" + t.RefreshToken + "&token_type_hint=refresh_token")),
                        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation"),
                    };
            }
        }

        /// <summary>
        /// The bare hash rate: the server's own hasher, at the configured parameters, verifying the
        /// users' password in a loop on every core the process may use, for <paramref name="duration"/>.
        /// </summary>
        public long HashFor(TimeSpan duration)
        {
            IPasswordHasher hasher = services.GetRequiredService<IPasswordHasher>();
            string hash = _passwordHash.Value;
            long done = 0;
            DateTime until = DateTime.UtcNow + duration;
            Parallel.For(0, Environment.ProcessorCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, _ =>
            {
                while (DateTime.UtcNow < until)
                {
                    if (hasher.Verify(IssuingBench.Password, hash) == PasswordVerification.Failed)
                    {
                        throw new InvalidOperationException("the hasher refused its own hash");
                    }

                    Interlocked.Increment(ref done);
                }
            });
            return done;
        }

        private async Task<IReadOnlyList<IssuedTokens>> IssueAsync(int count, HttpContext context, CancellationToken cancellationToken)
        {
            TokenService tokens = services.GetRequiredService<TokenService>();
            IReadOnlyList<string> users = await CreateUsersAsync((count + SessionsPerUser - 1) / SessionsPerUser, cancellationToken);
            SessionClient client = Tessera.AspNetCore.Http.ClientInfo.From(context);
            string issuer = TokenIssuer.For(context.Request, tokens.Options);
            var issued = new IssuedTokens[count];
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
                issued[i] = await tokens.IssueAsync(users[i % users.Count], client, issuer, ct));
            return issued;
        }

        private static string UsernameOf(string userId) => "bench-" + userId;

        // Returns the user ids (for tokens); UsernameOf gives each one's username (for sign-in).
        private async Task<IReadOnlyList<string>> CreateUsersAsync(int count, CancellationToken cancellationToken)
        {
            Tessera.Users.IUserStore store = services.GetRequiredService<Tessera.Users.IUserStore>();
            TimeProvider time = services.GetRequiredService<TimeProvider>();
            var ids = new List<string>(count);
            for (int i = 0; i < count; i++)
            {
                string id = RandomIds.New128();
                string name = UsernameOf(id);
                var user = new Tessera.Users.UserRecord
                {
                    Id = id,
                    Username = name,
                    NormalizedUsername = Tessera.Users.UsernameRules.Normalize(name),
                    PasswordHash = _passwordHash.Value,
                    CreatedAt = time.GetUtcNow(),
                };
                if (!await store.TryCreateAsync(user, cancellationToken))
                {
                    throw new InvalidOperationException("a bench user could not be created");
                }

                ids.Add(id);
            }

            return ids;
        }

        private static string Lines(IEnumerable<string> lines)
        {
            var text = new StringBuilder();
            foreach (string line in lines)
            {
                text.Append(line).Append('\n');
            }

            return text.ToString();
        }
    }
}
