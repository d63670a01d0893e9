using Tessera.LoadTarget.Scenarios;

namespace Tessera.LoadTarget.Scenarios;

/// <summary>Scenario name → its setup.</summary>
public static class TargetScenarios
{
    public static ITargetScenario Create(string name) => name switch
    {
        ScenarioNames.None => new NoAuthentication(),
        ScenarioNames.SessionMemory => new TesseraSessionScenario(SessionStoreKind.Memory),
        ScenarioNames.SessionSqlite => new TesseraSessionScenario(SessionStoreKind.Sqlite),
        ScenarioNames.SessionRedis => new TesseraSessionScenario(SessionStoreKind.Redis),
        ScenarioNames.BearerHs256 => new TesseraBearerScenario("HS256", checkSid: false),
        ScenarioNames.BearerEs256 => new TesseraBearerScenario("ES256", checkSid: false),
        ScenarioNames.BearerEdDsa => new TesseraBearerScenario("EdDSA", checkSid: false),
        ScenarioNames.BearerRs256 => new TesseraBearerScenario("RS256", checkSid: false),
        ScenarioNames.BearerEs256Sid => new TesseraBearerScenario("ES256", checkSid: true),
        ScenarioNames.SessionRedisNearCache => new TesseraSessionScenario(SessionStoreKind.RedisNearCache),
        ScenarioNames.BearerEs256SidPushed => new TesseraBearerScenario("ES256", checkSid: true, pushed: true),
        ScenarioNames.SessionPostgres => new TesseraSessionScenario(SessionStoreKind.Postgres),
        ScenarioNames.SessionPostgresNearCache => new TesseraSessionScenario(SessionStoreKind.PostgresNearCache),
        ScenarioNames.PlumbingFloor => new PlumbingFloorScenario(),
        ScenarioNames.AspNetCookie => new AspNetCookieScenario(),
        ScenarioNames.AspNetJwtBearer => new AspNetJwtBearerScenario(),
        ScenarioNames.BearerEs256Miss => new IssuingEs256MissScenario(),
        ScenarioNames.RefreshSqlite => new IssuingScenario(IssuingOperation.Refresh, IssuingStore.Sqlite),
        ScenarioNames.RefreshPostgres => new IssuingScenario(IssuingOperation.Refresh, IssuingStore.Postgres),
        ScenarioNames.IntrospectionSqlite => new IssuingScenario(IssuingOperation.Introspection, IssuingStore.Sqlite),
        ScenarioNames.IntrospectionPostgres => new IssuingScenario(IssuingOperation.Introspection, IssuingStore.Postgres),
        ScenarioNames.IntrospectionPostgresNearCache => new IssuingScenario(IssuingOperation.Introspection, IssuingStore.PostgresNearCache),
        ScenarioNames.RevocationSqlite => new IssuingScenario(IssuingOperation.Revocation, IssuingStore.Sqlite),
        ScenarioNames.RevocationPostgres => new IssuingScenario(IssuingOperation.Revocation, IssuingStore.Postgres),
        ScenarioNames.ClientCredentialsSqlite => new IssuingScenario(IssuingOperation.ClientCredentials, IssuingStore.Sqlite),
        ScenarioNames.ClientCredentialsPostgres => new IssuingScenario(IssuingOperation.ClientCredentials, IssuingStore.Postgres),
        ScenarioNames.PasswordSignInSqlite => new IssuingScenario(IssuingOperation.PasswordSignIn, IssuingStore.Sqlite),
        ScenarioNames.PasswordSignInPostgres => new IssuingScenario(IssuingOperation.PasswordSignIn, IssuingStore.Postgres),
        _ => throw new ArgumentException($"unknown scenario '{name}'", nameof(name)),
    };
}
