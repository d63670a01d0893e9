using System.Diagnostics;
using System.Globalization;

namespace Tessera.Testing.Servers;

/// <summary>
/// Makes sure no redis-server outlives the test run: the ones still running when the process exits
/// are killed, and each one has a small shell watchdog that kills it if the test process dies
/// without running exit handlers (a crash, a kill -9, a cancelled CI job).
/// </summary>
internal static class RedisServerReaper
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<Process> Running = [];

    static RedisServerReaper() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    public static void Watch(Process server)
    {
        lock (Gate)
        {
            Running.Add(server);
        }

        StartWatchdog(server.Id);
    }

    public static void Forget(Process server)
    {
        lock (Gate)
        {
            Running.Remove(server);
        }
    }

    private static void KillAll()
    {
        lock (Gate)
        {
            foreach (Process server in Running)
            {
                try
                {
                    server.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }

            Running.Clear();
        }
    }

    // Lives while both the test process and the server do; if the test process goes first, kills the server.
    private static void StartWatchdog(int serverId)
    {
        string owner = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        string server = serverId.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"while kill -0 {owner} 2>/dev/null && kill -0 {server} 2>/dev/null; do sleep 1; done; kill -0 {owner} 2>/dev/null || kill -9 {server} 2>/dev/null; exit 0");
        using Process? watchdog = Process.Start(start);
    }
}
