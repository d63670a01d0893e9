using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Tessera.Testing.Servers;

/// <summary>
/// The real program in its own process, as `dotnet run` starts it: Kestrel on a loopback port,
/// SQLite (or whatever the settings say) in a data folder. Captures what it prints. The test
/// project that uses it references Tessera.Server, so Tessera.Server.dll (and its wwwroot) sit
/// beside the tests.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly bool _ownsDataDirectory;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(string dataDirectory, bool ownsDataDirectory, IEnumerable<string> arguments, IDictionary<string, string>? environment)
    {
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        string serverDll = Path.Combine(AppContext.BaseDirectory, "Tessera.Server.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(serverDll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        // Outside Development the server needs a key-encryption key: the test certificate, unless
        // the caller sets these variables itself (to "" for none).
        foreach ((string name, string value) in TestKeyEncryption.Default.EnvironmentVariables)
        {
            start.Environment[name] = value;
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) => OnLine(line.Data, _output);
        _process.ErrorDataReceived += (_, line) => OnLine(line.Data, _errors);
        _process.Start();
        ProcessReaper.Watch(_process);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string DataDirectory { get; }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static ServerProcess Start(params string[] extraArguments) => Start(null, extraArguments);

    public static ServerProcess Start(IDictionary<string, string>? environment, params string[] extraArguments) => Start(environment, null, extraArguments);

    /// <summary>
    /// Starts the server on a free port with cheap password hashing, in a fresh data folder that is
    /// deleted with it; <paramref name="prepareData"/> may put files in the folder first.
    /// </summary>
    public static ServerProcess Start(IDictionary<string, string>? environment, Action<string>? prepareData, params string[] extraArguments)
    {
        string data = Path.Combine(Path.GetTempPath(), "tessera-server-tests", Guid.NewGuid().ToString("N"));
        if (prepareData is not null)
        {
            Directory.CreateDirectory(data);
            prepareData(data);
        }

        // A port known up front, so the issuer (required outside Development) can name it.
        string address = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://127.0.0.1:{LoopbackPort.Free()}");
        return new ServerProcess(data, ownsDataDirectory: true, ["--urls", address, "--Tessera:Tokens:Issuer", address, "--data", data, "--Tessera:Passwords:MemoryKiB", "1024", .. extraArguments], environment);
    }

    /// <summary>
    /// Starts the server with exactly these arguments in a data folder the caller owns and keeps
    /// (so a later process can start again on the same data).
    /// </summary>
    public static ServerProcess Launch(string dataDirectory, IEnumerable<string> arguments, IDictionary<string, string>? environment = null) =>
        new(dataDirectory, ownsDataDirectory: false, ["--data", dataDirectory, .. arguments], environment);

    /// <summary>The base address from the start-up line, once the server listens.</summary>
    public async Task<Uri> ListeningAsync()
    {
        Task finished = await Task.WhenAny(_listening.Task, _process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (finished != _listening.Task)
        {
            throw new InvalidOperationException($"The server did not start. Output:\n{Output}\nErrors:\n{Errors}");
        }

        return new Uri(await _listening.Task);
    }

    /// <summary>Waits for the process to end by itself; its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Ends the process at once (SIGKILL: no graceful shutdown, as in a crash).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        ProcessReaper.Forget(_process);
        _process.Dispose();
        if (_ownsDataDirectory && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private void OnLine(string? line, StringBuilder into)
    {
        if (line is null)
        {
            return;
        }

        lock (into)
        {
            into.AppendLine(line);
        }

        Match match = ListeningLine().Match(line);
        if (match.Success)
        {
            _listening.TrySetResult(match.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"Tessera listening on (http://127\.0\.0\.1:\d+); data in ")]
    private static partial Regex ListeningLine();
}
