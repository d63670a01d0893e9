using System.Globalization;

namespace Tessera.LoadTarget;

/// <summary>The target's command line: <c>--scenario NAME --urls URL [--data DIR] [--redis CONFIG] [--postgres CONNECTION] [--background-sessions N]</c>.</summary>
public sealed record TargetOptions
{
    public required string Scenario { get; init; }

    public required string Url { get; init; }

    /// <summary>A folder for stores that keep files (SQLite); created when missing.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>A StackExchange.Redis configuration string, for the Redis scenarios.</summary>
    public string? RedisConfiguration { get; init; }

    /// <summary>An Npgsql connection string, for the PostgreSQL issuing scenarios (#13).</summary>
    public string? PostgresConnection { get; init; }

    /// <summary>Sessions of other users put in the store before the run, so lookups do not hit a near-empty store.</summary>
    public int BackgroundSessions { get; init; }

    public static TargetOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value' pairs, got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string scenario = values.GetValueOrDefault("scenario") ?? throw new ArgumentException("--scenario is required: " + string.Join(", ", ScenarioNames.All));
        if (!ScenarioNames.IsKnown(scenario))
        {
            throw new ArgumentException($"unknown scenario '{scenario}'; known: {string.Join(", ", ScenarioNames.All)}");
        }

        return new TargetOptions
        {
            Scenario = scenario,
            Url = values.GetValueOrDefault("urls") ?? throw new ArgumentException("--urls is required (e.g. http://127.0.0.1:5099)"),
            DataDirectory = values.GetValueOrDefault("data"),
            RedisConfiguration = values.GetValueOrDefault("redis"),
            PostgresConnection = values.GetValueOrDefault("postgres"),
            BackgroundSessions = values.TryGetValue("background-sessions", out string? count) ? int.Parse(count, CultureInfo.InvariantCulture) : 0,
        };
    }
}
