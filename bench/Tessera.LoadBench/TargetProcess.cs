using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Tessera.LoadBench;

/// <summary>One running Tessera.LoadTarget (one scenario), on a free loopback port, pinned when asked.</summary>
public sealed class TargetProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TargetProcess(Scenario scenario, Process process, Uri address, HttpClient client)
    {
        Scenario = scenario;
        _process = process;
        Address = address;
        Client = client;
    }

    public Scenario Scenario { get; }

    public Uri Address { get; }

    /// <summary>For sign-in and checks; not used for the load itself.</summary>
    public HttpClient Client { get; }

    public int ProcessId => _process.Id;

    /// <summary>The target's dll, built with the harness in the same configuration.</summary>
    public static string DllPath =>
        typeof(TargetProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LoadTargetPath").Value!;

    public static Task<TargetProcess> StartAsync(Scenario scenario, string? cores, string workFolder, string? redisConfiguration, int backgroundSessions, CancellationToken cancellationToken) =>
        StartAsync(scenario, cores, workFolder, redisConfiguration, backgroundSessions, [], cancellationToken);

    /// <summary>As the other overload, with <paramref name="extraArguments"/> for the target (<c>--data DIR</c>, <c>--postgres CONNECTION</c>).</summary>
    public static async Task<TargetProcess> StartAsync(Scenario scenario, string? cores, string workFolder, string? redisConfiguration, int backgroundSessions, IReadOnlyList<string> extraArguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (!File.Exists(DllPath))
        {
            throw new FileNotFoundException($"the load target is not built: {DllPath}");
        }

        int port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        List<string> args = [DllPath, "--scenario", scenario.Name, "--urls", address.ToString().TrimEnd('/'),
            "--background-sessions", backgroundSessions.ToString(CultureInfo.InvariantCulture)];
        if (scenario.NeedsDataFolder)
        {
            args.AddRange(["--data", Path.Combine(workFolder, scenario.Name)]);
        }

        if (scenario.NeedsRedis)
        {
            args.AddRange(["--redis", redisConfiguration ?? throw new InvalidOperationException($"{scenario.Name} needs Redis")]);
        }

        args.AddRange(extraArguments);
        ProcessStartInfo start = CpuPinning.Start(cores, "dotnet", args);
        start.WorkingDirectory = workFolder;
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = new Process { StartInfo = start };
        // No cookie jar: every request carries exactly the credential the harness puts on it.
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        var target = new TargetProcess(scenario, process, address, client);
        process.OutputDataReceived += (_, line) => target.OnLine(line.Data);
        process.ErrorDataReceived += (_, line) => target.OnLine(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        Task exited = process.WaitForExitAsync(cancellationToken);
        Task first = await Task.WhenAny(target._ready.Task, exited, Task.Delay(StartTimeout, cancellationToken));
        if (first != target._ready.Task)
        {
            string why = first == exited ? $"exited with code {process.ExitCode}" : $"was not ready after {StartTimeout.TotalSeconds} s";
            string output = target.Output;
            await target.DisposeAsync();
            throw new InvalidOperationException($"the target for {scenario.Name} {why}:\n{output}");
        }

        return target;
    }

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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line == "ready")
        {
            _ready.TrySetResult();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
