using Tessera.LoadTarget;

namespace Tessera.LoadBench;

/// <summary>One row of the benchmark: a target scenario and how to present it.</summary>
public sealed record Scenario(int Number, string Name, string Title, string Credential)
{
    public bool NeedsRedis => Name is ScenarioNames.SessionRedis or ScenarioNames.BearerEs256Sid or ScenarioNames.SessionRedisNearCache or ScenarioNames.BearerEs256SidPushed;

    /// <summary>Runs on the harness's PostgreSQL (<see cref="PostgresForBench"/>), in a database of its own.</summary>
    public bool NeedsPostgres => Name is ScenarioNames.SessionPostgres or ScenarioNames.SessionPostgresNearCache;

    public bool NeedsDataFolder => Name is ScenarioNames.SessionSqlite;

    /// <summary>Stores sessions the target fills beforehand (so lookups do not run against a near-empty store).</summary>
    public bool HasSessionStore => Name is ScenarioNames.SessionMemory or ScenarioNames.SessionSqlite or ScenarioNames.SessionRedis or ScenarioNames.SessionRedisNearCache
        or ScenarioNames.SessionPostgres or ScenarioNames.SessionPostgresNearCache;

    /// <summary>Issue #6's list, in its order.</summary>
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new(1, ScenarioNames.None, "No authentication (the ceiling)", "none"),
        new(2, ScenarioNames.SessionMemory, "Tessera session cookie, in-memory store", "session cookie"),
        new(3, ScenarioNames.SessionSqlite, "Tessera session cookie, SQLite store", "session cookie"),
        new(4, ScenarioNames.SessionRedis, "Tessera session cookie, Redis store", "session cookie"),
        new(5, ScenarioNames.BearerHs256, "Tessera bearer JWT, HS256", "JWT"),
        new(6, ScenarioNames.BearerEs256, "Tessera bearer JWT, ES256", "JWT"),
        new(7, ScenarioNames.BearerEdDsa, "Tessera bearer JWT, EdDSA", "JWT"),
        new(8, ScenarioNames.BearerRs256, "Tessera bearer JWT, RS256", "JWT"),
        new(9, ScenarioNames.AspNetCookie, "ASP.NET Core cookie authentication (encrypted ticket)", "encrypted ticket cookie"),
        new(10, ScenarioNames.AspNetJwtBearer, "ASP.NET Core AddJwtBearer, ES256", "JWT"),
        new(11, ScenarioNames.BearerEs256Sid, "Tessera bearer JWT, ES256, sid revocation check", "JWT"),
        new(12, ScenarioNames.SessionRedisNearCache, "Tessera session cookie, Redis store behind the near cache", "session cookie"),
        new(13, ScenarioNames.BearerEs256SidPushed, "Tessera bearer JWT, ES256, sid check on the pushed revocation list", "JWT"),
        new(14, ScenarioNames.SessionPostgres, "Tessera session cookie, PostgreSQL store", "session cookie"),
        new(15, ScenarioNames.SessionPostgresNearCache, "Tessera session cookie, PostgreSQL store behind the near cache (LISTEN/NOTIFY feed)", "session cookie"),
        new(16, ScenarioNames.PlumbingFloor, "ASP.NET Core authentication and authorization around a handler that checks nothing (the plumbing floor)", "a fixed header"),
    ];
}
