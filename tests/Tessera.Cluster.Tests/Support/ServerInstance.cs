using System.Globalization;
using Tessera.Testing.Servers;

namespace Tessera.Cluster.Tests.Support;

/// <summary>
/// One Tessera server process of a cluster: a fixed loopback port (so the balancer's configuration
/// stays valid across restarts), its name in <c>X-Tessera-Instance</c>, its own data folder kept
/// between <see cref="KillAsync"/> and <see cref="StartAsync"/>, deleted when disposed.
/// </summary>
public sealed class ServerInstance : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private ServerProcess? _process;

    private ServerInstance(string name, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        Port = LoopbackPort.Free();
        DataDirectory = Path.Combine(Path.GetTempPath(), "tessera-cluster-tests", name + "-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(DataDirectory);
        _settings = settings;
    }

    public string Name { get; }

    public int Port { get; }

    public string DataDirectory { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>What the current (or last) process printed, for failure messages.</summary>
    public string Output => _process is null ? "" : _process.Output + _process.Errors;

    /// <summary>Settings every test instance gets: cheap password hashing, generous sign-in limits.</summary>
    public static IReadOnlyDictionary<string, string> TestDefaults { get; } = new Dictionary<string, string>
    {
        ["Tessera:Passwords:MemoryKiB"] = "1024",
        ["Tessera:Passwords:Iterations"] = "1",
        ["Tessera:RateLimits:SignInPerClient:PermitLimit"] = "1000",
        ["Tessera:RateLimits:SignInPerAccount:PermitLimit"] = "1000",
        ["Tessera:RateLimits:RegisterPerClient:PermitLimit"] = "1000",
        ["Tessera:RateLimits:TokenPerClient:PermitLimit"] = "1000",
        // Production requires an issuer; requests reach the balancer and the instances at 127.0.0.1.
        ["Tessera:Tokens:Issuer"] = "http://tessera.cluster.test",
        ["Tessera:AllowedHosts:0"] = "127.0.0.1",
    };

    /// <summary>Starts an instance with <see cref="TestDefaults"/> overridden by <paramref name="settings"/>.</summary>
    public static async Task<ServerInstance> StartAsync(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        Dictionary<string, string> all = new(TestDefaults);
        foreach ((string key, string value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var instance = new ServerInstance(name, all);
        try
        {
            await instance.StartAsync();
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }

        return instance;
    }

    /// <summary>Starts the process (again) on the same port and data folder; returns once it listens.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        List<string> arguments = ["--urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}"), "--Tessera:InstanceName", Name];
        foreach ((string key, string value) in _settings)
        {
            arguments.Add("--" + key);
            arguments.Add(value);
        }

        _process = ServerProcess.Launch(DataDirectory, arguments);
        await _process.ListeningAsync();
    }

    /// <summary>Kills the process (SIGKILL, like a crash); the data folder stays.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder; best effort.
        }
    }
}
