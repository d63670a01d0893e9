using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Tessera.Cli.Input;
using Tessera.Jose.Algorithms;

namespace Tessera.Cli.Commands;

/// <summary>Options several commands share, with their validation (a bad value is a usage error, exit 2).</summary>
internal static class CommonOptions
{
    /// <summary>The supported algorithm names, for help texts.</summary>
    public static readonly string SupportedAlgorithms = string.Join(", ", JwsAlgorithms.All.Keys.Order(StringComparer.Ordinal));

    // DateTimeOffset's range in Unix seconds; the epoch itself is the lower bound.
    private const long MaxUnixSeconds = 253_402_300_799;

    /// <summary><c>--now UNIX_SECONDS</c>: fixes the clock.</summary>
    public static Option<long?> Now(string purpose)
    {
        return new Option<long?>("--now")
        {
            HelpName = "UNIX_SECONDS",
            Description = $"Use this time (whole seconds since 1970-01-01T00:00:00Z) instead of the system clock {purpose}.",
            CustomParser = ParseUnixSeconds,
        };
    }

    /// <summary>The clock: fixed by <c>--now</c>, else the one the CLI was given.</summary>
    public static TimeProvider Clock(long? now, CliIo io) =>
        now is long seconds ? new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(seconds)) : io.TimeProvider;

    /// <summary>One algorithm name (<c>--alg</c> for signing and key generation).</summary>
    public static Option<string?> Algorithm(string description, bool required = false)
    {
        var option = new Option<string?>("--alg")
        {
            HelpName = "ALG",
            Description = $"{description} One of: {SupportedAlgorithms}.",
            Required = required,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && Check(name) is { } error)
            {
                result.AddError(error);
            }
        });
        return option;
    }

    /// <summary>An allow-list of algorithm names (<c>--alg A[,B]</c> for verification; repeatable).</summary>
    public static Option<string[]> AlgorithmList(string description)
    {
        var option = new Option<string[]>("--alg")
        {
            HelpName = "A[,B...]",
            Description = $"{description} Supported: {SupportedAlgorithms}.",
            CustomParser = SplitCommas,
        };
        option.Validators.Add(result =>
        {
            foreach (string name in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (Check(name) is { } error)
                {
                    result.AddError(error);
                    return;
                }
            }
        });
        return option;
    }

    /// <summary>A repeatable string option, such as <c>--iss</c> or <c>--aud</c>; empty values are refused.</summary>
    public static Option<string[]> Repeatable(string name, string helpName, string description)
    {
        var option = new Option<string[]>(name) { HelpName = helpName, Description = description };
        option.Validators.Add(result =>
        {
            if ((result.GetValueOrDefault<string[]>() ?? []).Any(string.IsNullOrEmpty))
            {
                result.AddError($"{name} must not be empty");
            }
        });
        return option;
    }

    /// <summary>Adds a check that at most one of <paramref name="inputs"/> is <c>-</c>: stdin can feed only one input.</summary>
    public static void StdinAtMostOnce(Command command, params (string Name, Func<CommandResult, string?> Value)[] inputs)
    {
        command.Validators.Add(result =>
        {
            string[] users = inputs.Where(i => i.Value(result) == InputReader.Stdin).Select(i => i.Name).ToArray();
            if (users.Length > 1)
            {
                result.AddError($"only one input can come from stdin ('-'), but {string.Join(" and ", users)} both ask for it");
            }
        });
    }

    private static string? Check(string name)
    {
        if (JwsAlgorithms.IsNone(name))
        {
            return "the algorithm 'none' (an unsecured token) is never accepted";
        }

        return JwsAlgorithms.TryGet(name, out _)
            ? null
            : $"'{name}' is not a supported algorithm (names are case-sensitive); supported: {SupportedAlgorithms}";
    }

    private static long? ParseUnixSeconds(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds <= MaxUnixSeconds)
        {
            return seconds;
        }

        result.AddError(string.Create(CultureInfo.InvariantCulture, $"--now must be whole Unix seconds between 0 and {MaxUnixSeconds}, not '{text}'"));
        return null;
    }

    private static string[] SplitCommas(ArgumentResult result) =>
        result.Tokens
            .SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries))
            .ToArray();
}
