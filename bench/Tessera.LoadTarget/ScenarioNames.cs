namespace Tessera.LoadTarget;

/// <summary>
/// The scenarios the target can serve, one authentication scheme each. Shared (as a linked file)
/// with the harness, so the two cannot disagree on a name.
/// </summary>
public static class ScenarioNames
{
    public const string None = "none";
    public const string SessionMemory = "session-memory";
    public const string SessionSqlite = "session-sqlite";
    public const string SessionRedis = "session-redis";
    public const string BearerHs256 = "bearer-hs256";
    public const string BearerEs256 = "bearer-es256";
    public const string BearerEdDsa = "bearer-eddsa";
    public const string BearerRs256 = "bearer-rs256";
    public const string AspNetCookie = "aspnet-cookie";
    public const string AspNetJwtBearer = "aspnet-jwtbearer";
    public const string BearerEs256Sid = "bearer-es256-sid";

    // #13: the Redis rows again with pushed changes (near cache; pushed revocation list).
    public const string SessionRedisNearCache = "session-redis-near";
    public const string BearerEs256SidPushed = "bearer-es256-sid-pushed";

    // #13 capacity: the session cookie on PostgreSQL, plain and behind the near cache (LISTEN/NOTIFY feed).
    public const string SessionPostgres = "session-postgres";
    public const string SessionPostgresNearCache = "session-postgres-near";

    // #13: ASP.NET Core's authentication and authorization around a handler that checks nothing.
    public const string PlumbingFloor = "plumbing-floor";

    // #13 issuing: the token endpoints on each store, and ES256 with a cache miss on every request.
    public const string RefreshSqlite = "refresh-sqlite";
    public const string RefreshPostgres = "refresh-postgres";
    public const string IntrospectionSqlite = "introspection-sqlite";
    public const string IntrospectionPostgres = "introspection-postgres";
    public const string RevocationSqlite = "revocation-sqlite";
    public const string RevocationPostgres = "revocation-postgres";
    public const string ClientCredentialsSqlite = "client-credentials-sqlite";
    public const string ClientCredentialsPostgres = "client-credentials-postgres";
    public const string PasswordSignInSqlite = "password-sqlite";
    public const string PasswordSignInPostgres = "password-postgres";
    public const string BearerEs256Miss = "bearer-es256-miss";

    // #13: introspection on PostgreSQL with the change feed and the near cache on (the resource path's machinery).
    public const string IntrospectionPostgresNearCache = "introspection-postgres-near";

    /// <summary>In the order of issue #6's list.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        None, SessionMemory, SessionSqlite, SessionRedis, BearerHs256, BearerEs256, BearerEdDsa, BearerRs256,
        AspNetCookie, AspNetJwtBearer, BearerEs256Sid, SessionRedisNearCache, BearerEs256SidPushed,
        SessionPostgres, SessionPostgresNearCache, PlumbingFloor,
    ];

    /// <summary>The issuing side and the cache-miss row (#13): reported in their own table, not the request-path one.</summary>
    public static IReadOnlyList<string> Issuing { get; } =
    [
        BearerEs256Miss, RefreshSqlite, RefreshPostgres, IntrospectionSqlite, IntrospectionPostgres, RevocationSqlite, RevocationPostgres,
        ClientCredentialsSqlite, ClientCredentialsPostgres, PasswordSignInSqlite, PasswordSignInPostgres,
        IntrospectionPostgresNearCache,
    ];

    /// <summary>Every name the target and <c>--only</c> accept.</summary>
    public static bool IsKnown(string name) => All.Contains(name) || Issuing.Contains(name);
}
