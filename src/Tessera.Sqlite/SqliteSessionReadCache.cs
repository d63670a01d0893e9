using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Tessera.Sessions;

namespace Tessera.Sqlite;

/// <summary>
/// Sessions read by handle, each remembered with the cache's <em>epoch</em> at the time it was read,
/// so a repeated look-up (introspection, RFC 7662, asks about the same access tokens again and again)
/// skips the row read and its decoding while nothing in the database file changed. The epoch moves
/// whenever a check of the file's <c>PRAGMA data_version</c> sees a commit.
/// </summary>
/// <remarks>
/// <para>Why an answer from here is never stale (a revoked session is inactive on the very next call):</para>
/// <list type="bullet">
/// <item>SQLite changes <c>data_version</c> on a connection whenever <em>any other</em> connection
/// commits to the file — another pooled connection of this process, another server, or the CLI
/// writing the file directly (https://sqlite.org/pragma.html#pragma_data_version). The value is read
/// on watcher connections that never write, so every commit to the file changes it on each of them.</item>
/// <item>Concurrent look-ups each check on a watcher of their own (a small pool), so they do not
/// queue behind one connection. Values of different connections cannot be compared, so each watcher
/// remembers the last value it read and a check that reads another value (or a watcher's first
/// check) advances the shared epoch before the watcher goes back to the pool. Take the first check,
/// on any watcher, that starts after a commit: the previous check of that watcher came before the
/// commit, so it sees a new value and advances the epoch; the next user of that watcher, and so
/// every later look-up on it, reads the advanced epoch.</item>
/// <item>A look-up reads the epoch after its own check and before anything else; a remembered
/// session serves only while the epoch is the one read <em>before</em> its row was read. A commit
/// after that read advances the epoch, on whichever watcher a later look-up checks, before that
/// look-up reads it, so the entry is not used.</item>
/// <item>Only the row is remembered, never a verdict: the caller still checks revocation, expiry,
/// kind and owner on every call against the current time.</item>
/// </list>
/// <para>Any write to the file (a touch, a sign-in) makes every entry a miss until it is read again:
/// the cache helps read-mostly traffic and costs one pragma per look-up otherwise. When the version
/// cannot be read, or every watcher is busy at the pool's bound, the look-up goes to the table, uncached.</para>
/// </remarks>
internal sealed class SqliteSessionReadCache(SqliteDatabase database) : IDisposable
{
    // Bounds memory (a SessionRecord is a few hundred bytes); reaching it empties the cache.
    internal const int MaxEntries = 10_000;

    // A check holds its watcher for one pragma (microseconds), so a few per core is plenty.
    internal static readonly int MaxWatchers = Math.Clamp(Environment.ProcessorCount * 2, 4, 32);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentStack<Watcher> _idle = new();
    private long _epoch;
    private int _open;
    private volatile bool _disposed;

    /// <summary>Sessions held now (tests).</summary>
    internal int Count => _entries.Count;

    /// <summary>Watcher connections open now (tests).</summary>
    internal int OpenWatchers => Volatile.Read(ref _open);

    /// <summary>
    /// The session <paramref name="handle"/> names: the remembered row while the file has not changed
    /// since it was read, otherwise <paramref name="read"/>'s answer (remembered when there is one).
    /// </summary>
    public async ValueTask<SessionRecord?> FindAsync(string handle, Func<string, CancellationToken, ValueTask<SessionRecord?>> read, CancellationToken cancellationToken)
    {
        long? epoch = Epoch();
        if (epoch is { } now && _entries.TryGetValue(handle, out Entry? entry) && entry.Epoch == now)
        {
            return entry.Session;
        }

        SessionRecord? session = await read(handle, cancellationToken).ConfigureAwait(false);
        if (epoch is { } before && session is not null)
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }

            // Tagged with the epoch read before the row: a commit in between advances it, leaving this unused.
            _entries[handle] = new Entry(before, session);
        }

        return session;
    }

    /// <summary>Closes the watching connections; later look-ups go to the table.</summary>
    public void Dispose()
    {
        _disposed = true;
        CloseIdle();
        _entries.Clear();
    }

    // Checks the file on a watcher of this caller's own, then reads the epoch; null (read uncached)
    // when the file cannot be checked or every watcher is busy.
    private long? Epoch()
    {
        if (_disposed || Take() is not { } watcher)
        {
            return null;
        }

        try
        {
            if (watcher.DataVersion.ExecuteScalar() is not long version)
            {
                Close(watcher);
                return null;
            }

            if (watcher.LastSeen != version)
            {
                // A commit since this watcher's last check, or its first check: before the watcher is
                // handed to anyone else, so its next user reads the advanced epoch.
                watcher.LastSeen = version;
                Interlocked.Increment(ref _epoch);
            }

            long epoch = Interlocked.Read(ref _epoch);
            Return(watcher);
            return epoch;
        }
        catch (SqliteException)
        {
            // The file is busy or gone: forget the connection (another is opened next time) and the rows.
            Close(watcher);
            _entries.Clear();
            return null;
        }
    }

    private Watcher? Take()
    {
        if (_idle.TryPop(out Watcher? idle))
        {
            return idle;
        }

        if (Interlocked.Increment(ref _open) > MaxWatchers)
        {
            Interlocked.Decrement(ref _open);
            return null;
        }

        try
        {
            return new Watcher(database.OpenWatcher());
        }
        catch (SqliteException)
        {
            Interlocked.Decrement(ref _open);
            return null;
        }
    }

    private void Return(Watcher watcher)
    {
        _idle.Push(watcher);
        if (_disposed)
        {
            CloseIdle();
        }
    }

    private void CloseIdle()
    {
        while (_idle.TryPop(out Watcher? watcher))
        {
            Close(watcher);
        }
    }

    private void Close(Watcher watcher)
    {
        watcher.Dispose();
        Interlocked.Decrement(ref _open);
    }

    // A connection of its own that never writes, with its prepared pragma and the last value it read.
    private sealed class Watcher : IDisposable
    {
        private readonly SqliteConnection _connection;

        public Watcher(SqliteConnection connection)
        {
            _connection = connection;
            DataVersion = connection.CreateCommand();
            DataVersion.CommandText = "PRAGMA data_version;";
        }

        public SqliteCommand DataVersion { get; }

        // Null until the first check: that one always advances the epoch.
        public long? LastSeen { get; set; }

        public void Dispose()
        {
            DataVersion.Dispose();
            _connection.Dispose();
        }
    }

    private sealed record Entry(long Epoch, SessionRecord Session);
}
