using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tessera.Testing.Servers;

/// <summary>
/// The safety net for processes the tests start: whatever a test's own disposal missed (a test
/// host stopping early, a fixture whose disposal threw) is killed when the test process exits.
/// </summary>
public static class ChildProcesses
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    static ChildProcesses() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (Process process in Running.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    };

    public static void Track(Process process) => Running[process.Id] = process;

    public static void Forget(Process process) => Running.TryRemove(process.Id, out _);
}
