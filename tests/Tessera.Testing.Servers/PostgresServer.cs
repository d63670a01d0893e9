using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Xunit;

namespace Tessera.Testing.Servers;

/// <summary>
/// A throwaway PostgreSQL cluster from Debian's packages: <c>initdb</c> in a temporary folder,
/// <c>pg_ctl start</c> on a free 127.0.0.1 port, <c>pg_ctl stop -m immediate</c> and the folder
/// deleted when disposed. As root the tools run as the <c>postgres</c> user (they refuse root).
/// Use it as an xunit class fixture (<c>IClassFixture&lt;PostgresServer&gt;</c>) or through
/// <see cref="StartNewAsync"/>; <see cref="CreateDatabaseAsync"/> gives each test a fresh database.
/// A crashed test run cannot leave it running: the cluster is stopped on process exit, and a small
/// watchdog shell stops it when the test process disappears without exiting cleanly.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime, IAsyncDisposable
{
    private const string ServiceUser = "postgres";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(2);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tessera-pg-" + Guid.NewGuid().ToString("N"));
    private Process? _watchdog;
    private bool _disposed;

    /// <summary>Where Debian's PostgreSQL binaries are: the newest version installed, or <c>TESSERA_PG_BIN</c>.</summary>
    public static string BinDirectory { get; } = FindBinDirectory();

    /// <summary>The port the cluster listens on (on 127.0.0.1); the same after <see cref="StopAsync"/> and <see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>True between a start and a stop.</summary>
    public bool IsRunning { get; private set; }

    private string DataFolder => Path.Combine(_folder, "data");

    private string LogFile => Path.Combine(_folder, "postgres.log");

    /// <summary>A cluster started and ready for connections.</summary>
    public static async Task<PostgresServer> StartNewAsync()
    {
        var server = new PostgresServer();
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The connection string of <paramref name="database"/> as the superuser (trust authentication on loopback).</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = ServiceUser,
        Database = database,
    }.ConnectionString;

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "t_" + Guid.NewGuid().ToString("N");
        // FILE_COPY copies the template's files instead of writing them all through the WAL: much faster.
        await ExecuteAsync($"CREATE DATABASE {name} STRATEGY = FILE_COPY;");
        return ConnectionString(name);
    }

    /// <summary>Drops the database a connection string names, closing whatever is still connected to it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        string name = new NpgsqlConnectionStringBuilder(connectionString).Database ?? throw new ArgumentException("The connection string names no database.", nameof(connectionString));
        NpgsqlConnection.ClearAllPools();
        if (IsRunning)
        {
            await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE);");
        }
    }

    /// <summary>Creates the cluster and starts it (xunit calls this for a fixture).</summary>
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        if (ExternalCommand.IsRoot)
        {
            await ExternalCommand.RunAsync(ExternalCommand.For("chown", [ServiceUser + ":", _folder]), ToolTimeout);
        }

        await ExternalCommand.RunAsync(Tool("initdb", "-D", DataFolder, "-U", ServiceUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"), ToolTimeout);
        AppDomain.CurrentDomain.ProcessExit += StopOnExit;
        for (int attempt = 1; ; attempt++)
        {
            Port = LoopbackPort.Free();
            try
            {
                await StartAsync();
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process took the port between the probe and the start: try another one.
            }
        }

        StartWatchdog();
    }

    /// <summary>Starts the cluster again on the same port (after <see cref="StopAsync"/>) and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        string options = string.Join(' ',
            "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=" + _folder,
            // A test cluster: no fsync (the machine does not crash under a test; a stopped server's
            // writes are still in the OS cache), but commits reach the WAL before they return, so
            // what was committed survives StopAsync (an immediate stop, like a crash), as in production.
            "-c", "fsync=off", "-c", "full_page_writes=off",
            "-c", "shared_buffers=16MB", "-c", "max_connections=300");
        try
        {
            await ExternalCommand.RunAsync(Tool("pg_ctl", "-D", DataFolder, "-l", LogFile, "-w", "-t", "90", "-o", options, "start"), ToolTimeout);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"{ex.Message}\n--- postgres.log ---\n{ReadLog()}", ex);
        }

        IsRunning = true;
    }

    /// <summary>Stops the cluster at once, as a crash would (<c>pg_ctl stop -m immediate</c>): clients see their connections drop.</summary>
    public async Task StopAsync()
    {
        IsRunning = false;
        await ExternalCommand.RunAsync(Tool("pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop"), ToolTimeout);
    }

    /// <summary>Stops the cluster and deletes its folder (xunit calls this for a fixture).</summary>
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= StopOnExit;
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
        {
            try
            {
                await StopAsync();
            }
            catch (InvalidOperationException)
            {
                // Not running (a test stopped it); nothing to stop.
            }
        }

        try
        {
            _watchdog?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _watchdog?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Temporary folder; best effort.
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString()) { Pooling = false, Timeout = 30, CommandTimeout = 120 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
#pragma warning disable CA2100 // Statements built from generated names only.
        await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync();
    }

    private ProcessStartInfo Tool(string name, params string[] arguments) =>
        ExternalCommand.For(Path.Combine(BinDirectory, name), arguments, ServiceUser);

    /// <summary>
    /// A shell that outlives a killed test process: it polls for this process and, once it is
    /// gone, stops the cluster and deletes its folder. It ends by itself when the folder is deleted.
    /// </summary>
    private void StartWatchdog()
    {
        string script = $"""
            while [ -d /proc/{Environment.ProcessId} ] && [ -d '{DataFolder}' ]; do sleep 2; done
            [ -f '{DataFolder}/postmaster.pid' ] && '{Path.Combine(BinDirectory, "pg_ctl")}' -D '{DataFolder}' -m immediate stop
            rm -rf '{_folder}'
            """;
        ProcessStartInfo start = ExternalCommand.For("sh", ["-c", script], ServiceUser);
        start.RedirectStandardOutput = false;
        start.RedirectStandardError = false;
        _watchdog = Process.Start(start);
    }

    private void StopOnExit(object? sender, EventArgs e)
    {
        if (!File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
        {
            return;
        }

        using Process? stop = Process.Start(Tool("pg_ctl", "-D", DataFolder, "-m", "immediate", "stop"));
        stop?.WaitForExit(10_000);
    }

    private string ReadLog()
    {
        try
        {
            return File.ReadAllText(LogFile);
        }
        catch (IOException)
        {
            return "(no log)";
        }
        catch (UnauthorizedAccessException)
        {
            return "(log unreadable)";
        }
    }

    private static string FindBinDirectory()
    {
        if (Environment.GetEnvironmentVariable("TESSERA_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        const string Root = "/usr/lib/postgresql";
        string? newest = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : 0)
                .FirstOrDefault()
            : null;
        return newest is not null
            ? Path.Combine(newest, "bin")
            : throw new InvalidOperationException($"PostgreSQL is not installed (no {Root}/*/bin/initdb): apt-get install postgresql, or set TESSERA_PG_BIN. ./test.sh installs it.");
    }
}
