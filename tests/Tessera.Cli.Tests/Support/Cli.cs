using System.Text.Json;

namespace Tessera.Cli.Tests.Support;

/// <summary>What one run of the CLI produced.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout parsed as JSON (fails the test with the streams shown when it is not).</summary>
    public JsonElement Json()
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(Stdout);
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new Xunit.Sdk.XunitException($"stdout is not JSON ({exception.Message}).\n{this}");
        }
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>The environment a run gets besides its arguments.</summary>
public sealed record CliSetup
{
    public string Stdin { get; init; } = string.Empty;

    public TimeProvider? Clock { get; init; }

    public TimeSpan? JwksTimeout { get; init; }

    public int? JwksMaxBytes { get; init; }

    /// <summary>Whether stdin counts as a terminal (a person at the keyboard).</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>Whether stderr counts as a terminal (progress counts are shown).</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The operating-system user named in audit events.</summary>
    public string OperatorName { get; init; } = "operator";
}

/// <summary>Runs the CLI in-process, exactly as Program.cs does, with captured streams.</summary>
public static class CliRunner
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(new CliSetup(), args);

    public static Task<CliResult> RunWithStdinAsync(string stdin, params string[] args) => RunAsync(new CliSetup { Stdin = stdin }, args);

    public static async Task<CliResult> RunAsync(CliSetup setup, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(setup);
        using var stdin = new StringReader(setup.Stdin);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var io = new CliIo(stdin, stdout, stderr)
        {
            TimeProvider = setup.Clock ?? TimeProvider.System,
            JwksTimeout = setup.JwksTimeout ?? TimeSpan.FromSeconds(10),
            JwksMaxBytes = setup.JwksMaxBytes ?? Jose.Keys.JwkSet.MaxJwkSetBytes,
            InputIsTerminal = setup.InputIsTerminal,
            ErrorIsTerminal = setup.ErrorIsTerminal,
            OperatorName = setup.OperatorName,
        };
        int exitCode = await CliApp.RunAsync(args, io);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs and asserts success, returning the result.</summary>
    public static async Task<CliResult> SucceedAsync(params string[] args) => Succeeded(await RunAsync(args));

    /// <summary>Runs with <paramref name="setup"/> and asserts success.</summary>
    public static async Task<CliResult> SucceedAsync(CliSetup setup, params string[] args) => Succeeded(await RunAsync(setup, args));

    /// <summary>Runs with stdin and asserts success.</summary>
    public static async Task<CliResult> SucceedWithStdinAsync(string stdin, params string[] args) => Succeeded(await RunWithStdinAsync(stdin, args));

    public static CliResult Succeeded(CliResult result)
    {
        Assert.True(result.ExitCode == ExitCodes.Ok && result.Stderr.Length == 0, $"expected success.\n{result}");
        return result;
    }

    /// <summary>Asserts exit 1 with exactly one line 'error: CODE: …' on stderr and nothing on stdout.</summary>
    public static void AssertFailure(CliResult result, string code)
    {
        Assert.True(result.ExitCode == ExitCodes.Failure, $"expected exit 1.\n{result}");
        Assert.True(result.Stdout.Length == 0, $"expected nothing on stdout.\n{result}");
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith($"error: {code}: ", StringComparison.Ordinal), $"expected 'error: {code}: …'.\n{result}");
    }

    /// <summary>Asserts exit 2 with a usage error on stderr and nothing on stdout.</summary>
    public static void AssertUsageError(CliResult result, string? messagePart = null)
    {
        Assert.True(result.ExitCode == ExitCodes.Usage, $"expected exit 2.\n{result}");
        Assert.True(result.Stdout.Length == 0, $"expected nothing on stdout.\n{result}");
        Assert.StartsWith("error: usage: ", result.Stderr, StringComparison.Ordinal);
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, result.Stderr, StringComparison.Ordinal);
        }
    }
}
