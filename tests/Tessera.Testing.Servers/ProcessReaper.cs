using System.Diagnostics;
using System.Globalization;

namespace Tessera.Testing.Servers;

/// <summary>
/// Makes sure no server a test started outlives the test run: the ones still running when the
/// process exits are killed, and each one has a small shell watchdog that kills it (and its
/// direct children, such as nginx's workers) if the test process dies without running exit
/// handlers (a crash, a kill -9, a cancelled CI job, a test host stopped before its fixtures were
/// disposed).
/// </summary>
public static class ProcessReaper
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<Process> Running = [];

    static ProcessReaper() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    public static void Watch(Process server)
    {
        ArgumentNullException.ThrowIfNull(server);
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

    // Lives while both the test process and the server do; if the test process goes first, kills
    // the server's children (by parent id, while it still is their parent), then the server.
    private static void StartWatchdog(int serverId)
    {
        string owner = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        string server = serverId.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"while kill -0 {owner} 2>/dev/null && kill -0 {server} 2>/dev/null; do sleep 1; done; "
            + $"kill -0 {owner} 2>/dev/null || {{ for child in $(ps -o pid= --ppid {server}); do kill -9 $child 2>/dev/null; done; kill -9 {server} 2>/dev/null; }}; exit 0");
        using Process? watchdog = Process.Start(start);
    }
}
