using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Tessera.Sessions;

namespace Tessera.Sqlite;

/// <summary>
/// Sessions read by handle, each remembered with the database file's <c>PRAGMA data_version</c> at
/// the time it was read, so a repeated look-up (introspection, RFC 7662, asks about the same access
/// tokens again and again) skips the row read and its decoding while nothing in the file changed.
/// </summary>
/// <remarks>
/// <para>Why an answer from here is never stale (a revoked session is inactive on the very next call):</para>
/// <list type="bullet">
/// <item>SQLite changes <c>data_version</c> on a connection whenever <em>any other</em> connection
/// commits to the file — another pooled connection of this process, another server, or the CLI
/// writing the file directly (https://sqlite.org/pragma.html#pragma_data_version). The value is read
/// on a connection of its own that never writes, so every commit to the file changes it.</item>
/// <item>The version is read on every look-up, before anything else; a remembered session serves
/// only while the version is the one read <em>before</em> its row was read. A commit between those
/// two reads makes the version newer than the entry's, so the entry is not used.</item>
/// <item>Only the row is remembered, never a verdict: the caller still checks revocation, expiry,
/// kind and owner on every call against the current time.</item>
/// </list>
/// <para>Any write to the file (a touch, a sign-in) makes every entry a miss until it is read again:
/// the cache helps read-mostly traffic and costs one pragma per look-up otherwise. When the version
/// cannot be read the look-up goes to the table, uncached.</para>
/// </remarks>
internal sealed class SqliteSessionReadCache(SqliteDatabase database) : IDisposable
{
    // Bounds memory (a SessionRecord is a few hundred bytes); reaching it empties the cache.
    internal const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private SqliteConnection? _watcher;
    private SqliteCommand? _dataVersion;
    private bool _disposed;

    /// <summary>Sessions held now (tests).</summary>
    internal int Count => _entries.Count;

    /// <summary>
    /// The session <paramref name="handle"/> names: the remembered row while the file has not changed
    /// since it was read, otherwise <paramref name="read"/>'s answer (remembered when there is one).
    /// </summary>
    public async ValueTask<SessionRecord?> FindAsync(string handle, Func<string, CancellationToken, ValueTask<SessionRecord?>> read, CancellationToken cancellationToken)
    {
        long? version = DataVersion();
        if (version is { } now && _entries.TryGetValue(handle, out Entry? entry) && entry.Version == now)
        {
            return entry.Session;
        }

        SessionRecord? session = await read(handle, cancellationToken).ConfigureAwait(false);
        if (version is { } before && session is not null)
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }

            // Tagged with the version read before the row: a commit in between leaves it unused.
            _entries[handle] = new Entry(before, session);
        }

        return session;
    }

    /// <summary>Closes the watching connection; later look-ups go to the table.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            CloseWatcher();
            _entries.Clear();
        }
    }

    // The file's data version, or null (read uncached) when it cannot be read. One connection, so
    // one caller at a time; the pragma only reads the WAL index header.
    private long? DataVersion()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }

            try
            {
                _dataVersion ??= OpenWatcher();
                return _dataVersion.ExecuteScalar() is long version ? version : null;
            }
            catch (SqliteException)
            {
                // The file is busy or gone: forget the connection (opened again next time) and the rows.
                CloseWatcher();
                _entries.Clear();
                return null;
            }
        }
    }

    private SqliteCommand OpenWatcher()
    {
        _watcher = database.OpenWatcher();
        SqliteCommand command = _watcher.CreateCommand();
        command.CommandText = "PRAGMA data_version;";
        return command;
    }

    private void CloseWatcher()
    {
        _dataVersion?.Dispose();
        _dataVersion = null;
        _watcher?.Dispose();
        _watcher = null;
    }

    private sealed record Entry(long Version, SessionRecord Session);
}
