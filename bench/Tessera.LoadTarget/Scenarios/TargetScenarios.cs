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
        ScenarioNames.AspNetCookie => new AspNetCookieScenario(),
        ScenarioNames.AspNetJwtBearer => new AspNetJwtBearerScenario(),
        _ => throw new ArgumentException($"unknown scenario '{name}'", nameof(name)),
    };
}
