using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Tessera.LoadBench;

/// <summary>What wrk's <c>done()</c> hook reports for one run (see bench.lua).</summary>
public sealed record WrkResult(
    long Requests, long DurationMicroseconds, long BytesRead, long ConnectErrors, long ReadErrors, long WriteErrors,
    long Non2xxOr3xx, long Timeouts, long LatencyP50Microseconds, long LatencyP90Microseconds, long LatencyP99Microseconds,
    long LatencyMaxMicroseconds, double LatencyMeanMicroseconds)
{
    public double RequestsPerSecond => Requests / (DurationMicroseconds / 1e6);

    public long SocketErrors => ConnectErrors + ReadErrors + WriteErrors + Timeouts;
}

/// <summary>Load settings of one wrk run.</summary>
public sealed record WrkSettings(int Threads, int Connections, TimeSpan Duration);

/// <summary>Runs wrk with bench.lua against a target's /bench/whoami.</summary>
public static class WrkRun
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes the script and the credentials where wrk can read them; returns the script's path.</summary>
    public static string PrepareScript(string folder) => PrepareScript(folder, "bench.lua");

    /// <summary>Writes the embedded script <paramref name="name"/> (bench.lua, issuing.lua) into <paramref name="folder"/>; returns its path.</summary>
    public static string PrepareScript(string folder, string name)
    {
        string path = Path.Combine(folder, name);
        using Stream script = Assembly.GetExecutingAssembly().GetManifestResourceStream("Tessera.LoadBench." + name)!;
        using FileStream file = File.Create(path);
        script.CopyTo(file);
        return path;
    }

    public static string WriteCredentials(string folder, string scenario, IReadOnlyList<Credential> credentials)
    {
        string path = Path.Combine(folder, scenario + ".credentials");
        File.WriteAllLines(path, credentials.Select(c => c.HeaderName + "\t" + c.HeaderValue));
        return path;
    }

    public static async Task<WrkResult> RunAsync(string script, string credentialsFile, Uri target, WrkSettings settings, string? cores, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize<WrkResult>(await RunForLineAsync(script, ["/bench/whoami", credentialsFile], target, settings, cores, cancellationToken), Json)!;

    /// <summary>Runs wrk with <paramref name="script"/> and <paramref name="scriptArgs"/> (after <c>--</c>); returns the JSON line its <c>done()</c> printed.</summary>
    public static async Task<string> RunForLineAsync(string script, IReadOnlyList<string> scriptArgs, Uri target, WrkSettings settings, string? cores, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(scriptArgs);
        string[] args =
        [
            "-t", settings.Threads.ToString(CultureInfo.InvariantCulture),
            "-c", settings.Connections.ToString(CultureInfo.InvariantCulture),
            "-d", ((int)Math.Ceiling(settings.Duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s",
            // A request may wait this long before wrk counts it as a timeout (the machine may be busy).
            "--timeout", "10s",
            "-s", script, target.ToString().TrimEnd('/'), "--", .. scriptArgs,
        ];
        using Process wrk = Process.Start(CpuPinning.Start(cores, "wrk", args))!;
        Task<string> output = wrk.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> errors = wrk.StandardError.ReadToEndAsync(cancellationToken);
        await wrk.WaitForExitAsync(cancellationToken);
        string text = await output;
        string? line = text.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (wrk.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"wrk failed (exit {wrk.ExitCode}):\n{text}\n{await errors}");
        }

        return line;
    }
}
