using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Cli.Stores;
using Tessera.Keys;
using Tessera.PostgreSql;
using Tessera.Sqlite;

namespace Tessera.Cli.Keys;

/// <summary>
/// A Tessera server's key ring, opened with the very store, repository and protector classes the
/// server runs: its data folder (the SQLite file and the Data Protection keys in <c>DIR/keys</c>),
/// or its PostgreSQL database (signing keys and Data Protection keys both in it).
/// </summary>
internal sealed class ServerKeyRingAccess : IAsyncDisposable
{
    // Every PostgreSQL schema version has the signing keys; SQLite's came with version 2.
    private const string Feature = "token mode";

    private readonly ServiceProvider _dataProtection;
    private readonly IAsyncDisposable? _database;
    private readonly Lazy<ISecretProtector> _protector;
    private readonly KeyEncryptionCertificates? _certificates;

    private ServerKeyRingAccess(ISigningKeyStore store, IXmlRepository keyRepository, IAsyncDisposable? database, KeyEncryptionCertificates? certificates)
    {
        Store = store;
        _database = database;
        _certificates = certificates;
        // The server's Data Protection set-up (application name, repository, key-encryption
        // certificate from the same environment variables) around the same key repository.
        var services = new ServiceCollection();
        IDataProtectionBuilder builder = services.AddDataProtection().SetApplicationName(DataProtectionSecretProtector.ApplicationName);
        if (certificates is not null)
        {
            builder.ProtectKeysWithCertificate(certificates.Current);
            if (certificates.Previous.Count > 0)
            {
                builder.UnprotectKeysWithAnyCertificate([.. certificates.Previous]);
            }
        }

        services.Configure<KeyManagementOptions>(options => options.XmlRepository = keyRepository);
        _dataProtection = services.BuildServiceProvider();
        _protector = new(() =>
        {
            // Without the certificate, Data Protection would take the encrypted keys for unusable and
            // write a new one in plaintext: refuse instead, before anything is protected or judged unreadable.
            if (certificates is null && CliKeyEncryption.IsEncrypted(keyRepository))
            {
                throw CliKeyEncryption.Required();
            }

            return new DataProtectionSecretProtector(_dataProtection.GetRequiredService<IDataProtectionProvider>());
        });
    }

    public ISigningKeyStore Store { get; }

    /// <summary>The server's protector; opening it on an encrypted ring needs the key-encryption certificate.</summary>
    public ISecretProtector Protector => _protector.Value;

    /// <summary>The ring of the server whose data folder is <paramref name="folder"/> (SQLite, the default store).</summary>
    public static async Task<ServerKeyRingAccess> OpenFolderAsync(string folder, CancellationToken cancellationToken)
    {
        // The certificates first: a wrong one fails before anything is opened.
        KeyEncryptionCertificates? certificates = CliKeyEncryption.FromEnvironment();
        SqliteDatabase database = await ServerDatabases.OpenFolderAsync(folder, TesseraSqliteSchema.SigningKeysVersion, Feature, cancellationToken);
        var repository = new DataFolderXmlRepository(new TesseraDataFolder(folder), NullLoggerFactory.Instance);
        return new ServerKeyRingAccess(new SqliteSigningKeyStore(database), repository, null, certificates);
    }

    /// <summary>The ring of a server with <c>Tessera:Store=postgres</c>, from its connection string.</summary>
    public static async Task<ServerKeyRingAccess> OpenPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        KeyEncryptionCertificates? certificates = CliKeyEncryption.FromEnvironment();
        PostgresDatabase database = await ServerDatabases.OpenPostgresAsync(connectionString, 1, Feature, cancellationToken);
        return new ServerKeyRingAccess(new PostgresSigningKeyStore(database), new PostgresXmlRepository(database), database, certificates);
    }

    public async ValueTask DisposeAsync()
    {
        await _dataProtection.DisposeAsync();
        _certificates?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
