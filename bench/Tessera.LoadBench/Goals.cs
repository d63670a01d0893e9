using Tessera.LoadTarget;

namespace Tessera.LoadBench;

/// <summary>Issue #6's goals, computed from the medians.</summary>
public static class Goals
{
    public sealed record Goal(string Text, string Measured, bool? Met);

    public static IReadOnlyList<Goal> Evaluate(LoadBenchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        ScenarioResult? Row(string name) => results.Scenarios.FirstOrDefault(s => s.Name == name);
        ScenarioResult? ceiling = Row(ScenarioNames.None);
        var goals = new List<Goal>();

        foreach (string name in new[] { ScenarioNames.SessionMemory, ScenarioNames.BearerHs256, ScenarioNames.BearerEs256, ScenarioNames.BearerEdDsa, ScenarioNames.BearerRs256 })
        {
            goals.Add(Ratio($"{Title(name)} at ≥ 90 % of the ceiling", Row(name), ceiling, 0.9, percent: true));
        }

        goals.Add(Ratio("Tessera bearer ES256 ≥ 1.3× ASP.NET Core AddJwtBearer (same token)", Row(ScenarioNames.BearerEs256), Row(ScenarioNames.AspNetJwtBearer), 1.3, percent: false));
        goals.Add(Ratio("Tessera session cookie (memory) ≥ ASP.NET Core cookie authentication", Row(ScenarioNames.SessionMemory), Row(ScenarioNames.AspNetCookie), 1.0, percent: false));

        // Issue #13's goals: the verified-token cache, pushed revocation and the near cache.
        goals.Add(Ratio($"{Title(ScenarioNames.BearerEs256SidPushed)} at ≥ 80 % of the ceiling", Row(ScenarioNames.BearerEs256SidPushed), ceiling, 0.8, percent: true));
        goals.Add(Ratio($"{Title(ScenarioNames.SessionRedisNearCache)} at ≥ 70 % of the ceiling", Row(ScenarioNames.SessionRedisNearCache), ceiling, 0.7, percent: true));
        goals.Add(Ratio($"{Title(ScenarioNames.SessionRedis)} (no near cache) at ≥ 70 % of the ceiling", Row(ScenarioNames.SessionRedis), ceiling, 0.7, percent: true));
        goals.Add(Ratio("Tessera bearer ES256 ≥ 2× ASP.NET Core AddJwtBearer (same tokens; #13)", Row(ScenarioNames.BearerEs256), Row(ScenarioNames.AspNetJwtBearer), 2.0, percent: false));

        // Not a goal: the reference the ratio goals sit under. Row 16 runs the framework's authentication
        // and authorization around a handler that checks nothing, so no row that evaluates its policy through
        // UseAuthorization() can do better (UseTesseraAuthorization() skips that evaluation for the default policy).
        if (Row(ScenarioNames.PlumbingFloor) is { } floor && ceiling is { RequestsPerSecond: > 0 })
        {
            goals.Add(new Goal($"(reference) {Title(ScenarioNames.PlumbingFloor)}: the most a row evaluating its policy through UseAuthorization() can reach",
                $"{floor.RequestsPerSecond:N0} / {ceiling.RequestsPerSecond:N0} req/s = {floor.RequestsPerSecond / ceiling.RequestsPerSecond * 100:F0} %", null));
        }

        return goals;
    }

    private static string Title(string name)
    {
        Scenario scenario = Scenario.All.Single(s => s.Name == name);
        return $"{scenario.Number}. {scenario.Title}";
    }

    private static Goal Ratio(string text, ScenarioResult? measured, ScenarioResult? reference, double target, bool percent)
    {
        if (measured is null || reference is null || reference.RequestsPerSecond <= 0)
        {
            return new Goal(text, "not measured in this run", null);
        }

        double ratio = measured.RequestsPerSecond / reference.RequestsPerSecond;
        string shown = percent ? $"{ratio * 100:F0} %" : $"{ratio:F2}×";
        return new Goal(text, $"{measured.RequestsPerSecond:N0} / {reference.RequestsPerSecond:N0} req/s = {shown}", ratio >= target);
    }
}
