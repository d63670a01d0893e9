using Tessera.Audit;
using Tessera.OAuth;
using Tessera.PostgreSql;
using Tessera.Sessions;
using Tessera.Sqlite;
using Tessera.Users;

namespace Tessera.Cli.Stores;

/// <summary>
/// A Tessera server's client registry, user store, sessions, consents and audit log, opened with
/// the very store classes the server runs: its data folder's SQLite file, or its PostgreSQL
/// database. The CLI never migrates: a database the current server has not started on yet is
/// refused with the remedy.
/// </summary>
internal sealed class ServerStoreAccess : IAsyncDisposable
{
    private const string Feature = "the OAuth provider";

    private const string AdministrationFeature = "user administration and the audit log";

    private readonly IAsyncDisposable? _database;

    private ServerStoreAccess(IClientStore clients, IUserStore users, ISessionStore sessions, IConsentStore consents, IAuditLog auditLog, IAsyncDisposable? database)
    {
        Clients = clients;
        Users = users;
        Sessions = sessions;
        Consents = consents;
        AuditLog = auditLog;
        _database = database;
    }

    public IClientStore Clients { get; }

    public IUserStore Users { get; }

    /// <summary>The sessions kept in the main store (a server with <c>Tessera:SessionStore=redis</c> keeps them in Redis instead: <c>--redis</c>).</summary>
    public ISessionStore Sessions { get; }

    public IConsentStore Consents { get; }

    /// <summary>The audit log kept with the data (its table exists from the administration schema on: <see cref="OpenFolderForAdministrationAsync"/>).</summary>
    public IAuditLog AuditLog { get; }

    /// <summary>The stores of the server whose data folder is <paramref name="folder"/> (SQLite, the default store).</summary>
    public static Task<ServerStoreAccess> OpenFolderAsync(string folder, CancellationToken cancellationToken) =>
        OpenFolderAsync(folder, TesseraSqliteSchema.OAuthProviderVersion, Feature, cancellationToken);

    /// <summary>As <see cref="OpenFolderAsync(string, CancellationToken)"/>, at the schema with disabled accounts and the audit log.</summary>
    public static Task<ServerStoreAccess> OpenFolderForAdministrationAsync(string folder, CancellationToken cancellationToken) =>
        OpenFolderAsync(folder, TesseraSqliteSchema.AuditVersion, AdministrationFeature, cancellationToken);

    /// <summary>The stores of a server with <c>Tessera:Store=postgres</c>, from its connection string.</summary>
    public static Task<ServerStoreAccess> OpenPostgresAsync(string connectionString, CancellationToken cancellationToken) =>
        OpenPostgresAsync(connectionString, TesseraPostgresSchema.OAuthProviderVersion, Feature, cancellationToken);

    /// <summary>As <see cref="OpenPostgresAsync(string, CancellationToken)"/>, at the schema with disabled accounts and the audit log.</summary>
    public static Task<ServerStoreAccess> OpenPostgresForAdministrationAsync(string connectionString, CancellationToken cancellationToken) =>
        OpenPostgresAsync(connectionString, TesseraPostgresSchema.AuditVersion, AdministrationFeature, cancellationToken);

    private static async Task<ServerStoreAccess> OpenFolderAsync(string folder, int minimumVersion, string feature, CancellationToken cancellationToken)
    {
        SqliteDatabase database = await ServerDatabases.OpenFolderAsync(folder, minimumVersion, feature, cancellationToken);
        return new ServerStoreAccess(new SqliteClientStore(database), new SqliteUserStore(database), new SqliteSessionStore(database), new SqliteConsentStore(database), new SqliteAuditLog(database), null);
    }

    private static async Task<ServerStoreAccess> OpenPostgresAsync(string connectionString, int minimumVersion, string feature, CancellationToken cancellationToken)
    {
        PostgresDatabase database = await ServerDatabases.OpenPostgresAsync(connectionString, minimumVersion, feature, cancellationToken);
        // #13: an administrator's revocation is announced, so servers with the change feed on hear it at once
        // (one NOTIFY per session changed; nobody listening costs nothing worth counting for a one-off command).
        return new ServerStoreAccess(new PostgresClientStore(database), new PostgresUserStore(database), new PostgresSessionStore(database, announceChanges: true), new PostgresConsentStore(database), new PostgresAuditLog(database), database);
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
