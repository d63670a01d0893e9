using System.Diagnostics;
using System.Text;

namespace Tessera.Testing.Servers;

/// <summary>
/// A server process a fixture starts on a loopback port (<see cref="RedisServer"/>, each
/// <see cref="RedisClusterNode"/>, <see cref="NginxProcess"/>): its output read (a full pipe would
/// stall it) and what it printed at start kept for the error message, watched by
/// <see cref="ProcessReaper"/> so it never outlives the test run, and handed back only once it
/// answers; one that exits or stays silent at start is killed and reported with its log.
/// </summary>
internal sealed class LoopbackProcess
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private bool _gone;
    private bool _answering;

    private LoopbackProcess(Process process) => _process = process;

    /// <summary>True once the process has ended (or was killed through <see cref="KillAsync"/>).</summary>
    public bool HasExited => _gone || _process.HasExited;

    /// <summary>
    /// Starts <paramref name="executable"/> and polls <paramref name="answers"/> every 50 ms until it
    /// returns true. <see cref="InvalidOperationException"/> (after killing the process) when it exits
    /// first or does not answer within <paramref name="timeout"/>; <paramref name="log"/> says why.
    /// </summary>
    public static Task<LoopbackProcess> StartAsync(
        string name, string executable, string workingDirectory, IEnumerable<string> arguments, Func<Task<bool>> answers, Func<string> log, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(executable) { WorkingDirectory = workingDirectory };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return StartAsync(name, start, answers, log, timeout, CancellationToken.None);
    }

    /// <summary>The same with a start description of the caller's (a program run under taskset, say); its output is redirected here.</summary>
    public static async Task<LoopbackProcess> StartAsync(
        string name, ProcessStartInfo start, Func<Task<bool>> answers, Func<string> log, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        var started = new LoopbackProcess(process);
        process.OutputDataReceived += (_, line) => started.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => started.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        ProcessReaper.Watch(process);
        try
        {
            await started.WaitUntilAnsweringAsync(name, answers, log, timeout, cancellationToken);
        }
        catch
        {
            await started.KillAsync();
            throw;
        }

        return started;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit by itself; false if it is still running.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the process (and its children) if it still runs, waits for it and lets it go; a second call does nothing.</summary>
    public async Task KillAsync()
    {
        if (_gone)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _gone = true;
        ProcessReaper.Forget(_process);
        _process.Dispose();
    }

    private async Task WaitUntilAnsweringAsync(string name, Func<Task<bool>> answers, Func<string> log, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited at start (code {_process.ExitCode}): {log()}{Output()}");
            }

            if (await answers())
            {
                _answering = true;
                return;
            }

            if (waited.Elapsed > timeout)
            {
                throw new InvalidOperationException($"{name} did not answer within {timeout.TotalSeconds} s: {log()}{Output()}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private void Keep(string? line)
    {
        if (line is not null && !_answering) // only the start's output is reported
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    // What the process printed (redis-server prints nothing: it writes redis.log).
    private string Output()
    {
        lock (_output)
        {
            return _output.Length == 0 ? "" : $"\nOutput:\n{_output}";
        }
    }
}
