using Tessera.LoadTarget;

namespace Tessera.LoadBench;

/// <summary>How wrk feeds an issuing scenario (see issuing.lua).</summary>
public enum IssuingFeedMode
{
    /// <summary>One refresh-token chain per connection: every request one rotation, its answer's token sent next.</summary>
    Chain,

    /// <summary>Every line sent once (unique tokens); enough lines for the run, or the run is invalid.</summary>
    Once,

    /// <summary>The lines sent round and round (access tokens to introspect, users to sign in, one client).</summary>
    Cycle,
}

/// <summary>One row of the issuing-side table (#13): a target scenario, the request wrk sends and how it is fed.</summary>
public sealed record IssuingScenario(
    string Name, string Operation, string Store, IssuingFeedMode Mode, string Method, string Path, string? ContentType, string? Authorization)
{
    private const string Form = "application/x-www-form-urlencoded";
    private const string Json = "application/json";

    /// <summary>The row's title, e.g. "refresh (SQLite)".</summary>
    public string Title => $"{Operation} ({Store})";

    public bool OnPostgres => Store.StartsWith("PostgreSQL", StringComparison.Ordinal);

    public bool OnSqlite => Store == "SQLite";

    public bool IsRefresh => Mode == IssuingFeedMode.Chain;

    public bool IsPasswordSignIn => Name is ScenarioNames.PasswordSignInSqlite or ScenarioNames.PasswordSignInPostgres;

    public bool IsCacheMiss => Name == ScenarioNames.BearerEs256Miss;

    /// <summary>#13's goal per core, where it sets one.</summary>
    public double? GoalPerCore => Name switch
    {
        ScenarioNames.RefreshSqlite or ScenarioNames.RefreshPostgres => 1_200,
        ScenarioNames.IntrospectionSqlite or ScenarioNames.IntrospectionPostgres or ScenarioNames.IntrospectionPostgresNearCache => 25_000,
        _ => null,
    };

    /// <summary>A published figure per core on other hardware (coarse), where #13 cites one.</summary>
    public string? Anchor => Name switch
    {
        ScenarioNames.RefreshSqlite or ScenarioNames.RefreshPostgres => "Keycloak: 120/s per vCPU",
        ScenarioNames.ClientCredentialsSqlite or ScenarioNames.ClientCredentialsPostgres => "Keycloak: 120/s per vCPU",
        ScenarioNames.IntrospectionSqlite or ScenarioNames.IntrospectionPostgres or ScenarioNames.IntrospectionPostgresNearCache => "Ory Hydra: ~2,550/s per core",
        _ => null,
    };

    private static readonly string IntrospectionBasic = IssuingBench.Basic(IssuingBench.IntrospectionClientId, IssuingBench.IntrospectionClientSecret);
    private static readonly string ServiceBasic = IssuingBench.Basic(IssuingBench.ServiceClientId, IssuingBench.ServiceClientSecret);

    /// <summary>In the order of the doc's table.</summary>
    public static IReadOnlyList<IssuingScenario> All { get; } =
    [
        new(ScenarioNames.RefreshSqlite, "refresh", "SQLite", IssuingFeedMode.Chain, "POST", "/auth/token/refresh", Json, null),
        new(ScenarioNames.RefreshPostgres, "refresh", "PostgreSQL", IssuingFeedMode.Chain, "POST", "/auth/token/refresh", Json, null),
        new(ScenarioNames.IntrospectionSqlite, "introspection", "SQLite", IssuingFeedMode.Cycle, "POST", "/oauth2/introspect", Form, IntrospectionBasic),
        new(ScenarioNames.IntrospectionPostgres, "introspection", "PostgreSQL", IssuingFeedMode.Cycle, "POST", "/oauth2/introspect", Form, IntrospectionBasic),
        new(ScenarioNames.IntrospectionPostgresNearCache, "introspection", "PostgreSQL + near cache", IssuingFeedMode.Cycle, "POST", "/oauth2/introspect", Form, IntrospectionBasic),
        new(ScenarioNames.RevocationSqlite, "revocation (RFC 7009)", "SQLite", IssuingFeedMode.Once, "POST", "/oauth2/revoke", Form, null),
        new(ScenarioNames.RevocationPostgres, "revocation (RFC 7009)", "PostgreSQL", IssuingFeedMode.Once, "POST", "/oauth2/revoke", Form, null),
        new(ScenarioNames.ClientCredentialsSqlite, "client credentials", "SQLite", IssuingFeedMode.Cycle, "POST", "/oauth2/token", Form, ServiceBasic),
        new(ScenarioNames.ClientCredentialsPostgres, "client credentials", "PostgreSQL", IssuingFeedMode.Cycle, "POST", "/oauth2/token", Form, ServiceBasic),
        new(ScenarioNames.PasswordSignInSqlite, "password sign-in", "SQLite", IssuingFeedMode.Cycle, "POST", "/auth/token", Json, null),
        new(ScenarioNames.PasswordSignInPostgres, "password sign-in", "PostgreSQL", IssuingFeedMode.Cycle, "POST", "/auth/token", Json, null),
        new(ScenarioNames.BearerEs256Miss, "bearer ES256, cache miss on every request (unique tokens)", "memory", IssuingFeedMode.Once, "GET", "/bench/whoami", null, null),
    ];
}
