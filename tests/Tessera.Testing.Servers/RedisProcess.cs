using System.Globalization;

namespace Tessera.Testing.Servers;

/// <summary>
/// What every <c>redis-server</c> the fixtures start has in common (<see cref="RedisServer"/>, each
/// <see cref="RedisClusterNode"/>): Debian's binary in the foreground, bound to 127.0.0.1 only, its
/// files and <c>redis.log</c> in its own folder, no RDB snapshots.
/// </summary>
internal static class RedisProcess
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Starts redis-server on <paramref name="port"/> with <paramref name="settings"/> added (persistence,
    /// cluster mode) and returns once <paramref name="answersPing"/> is true (see <see cref="LoopbackProcess.StartAsync"/>).
    /// </summary>
    public static Task<LoopbackProcess> StartAsync(string directory, int port, IEnumerable<string> settings, Func<Task<bool>> answersPing) =>
        LoopbackProcess.StartAsync(
            "redis-server",
            Executable(),
            directory,
            [
                "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--protected-mode", "yes",
                "--dir", directory, "--logfile", "redis.log", "--daemonize", "no", "--save", "",
                .. settings,
            ],
            answersPing,
            () => LogTail(directory),
            StartTimeout);

    // The last lines of redis.log, for the message of a start that failed.
    private static string LogTail(string directory)
    {
        string log = Path.Combine(directory, "redis.log");
        return File.Exists(log) ? string.Join(" | ", File.ReadLines(log).TakeLast(5)) : "(no log)";
    }

    private static string Executable()
    {
        foreach (string candidate in new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("redis-server is not installed: install Debian's redis-server package (./test.sh does).");
    }
}
