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

    /// <summary>In the order of issue #6's list.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        None, SessionMemory, SessionSqlite, SessionRedis, BearerHs256, BearerEs256, BearerEdDsa, BearerRs256,
        AspNetCookie, AspNetJwtBearer, BearerEs256Sid,
    ];
}
