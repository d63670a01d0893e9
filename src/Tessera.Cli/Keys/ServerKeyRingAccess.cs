using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Tessera.AspNetCore.Tokens;
using Tessera.Keys;
using Tessera.Sqlite;
using Tessera.Stores;

namespace Tessera.Cli.Keys;

/// <summary>
/// A Tessera server's key ring, opened with the very store and protector classes the server runs:
/// its data folder's SQLite file and the Data Protection keys in <c>DIR/keys</c>.
/// </summary>
internal sealed record ServerKeyRingAccess(ISigningKeyStore Store, ISecretProtector Protector)
{
    public static async Task<ServerKeyRingAccess> OpenAsync(string folder, CancellationToken cancellationToken)
    {
        string path = Path.Combine(folder, "tessera.db");
        if (!File.Exists(path))
        {
            throw new CliException(CliErrorCodes.InputUnreadable, $"no Tessera database in {folder}: start the server once with --data {folder}");
        }

        var database = new SqliteDatabase(path);
        int schema;
        try
        {
            schema = await database.SchemaVersionAsync(TesseraSqliteSchema.Module, cancellationToken);
        }
        catch (StoreUnavailableException ex)
        {
            throw new CliException(CliErrorCodes.InputUnreadable, $"the database in {folder} cannot be read: {ex.InnerException?.Message ?? ex.Message}");
        }

        if (schema < TesseraSqliteSchema.SigningKeysVersion)
        {
            throw new CliException(CliErrorCodes.InputUnreadable, string.Create(CultureInfo.InvariantCulture, $"the database in {folder} predates token mode: start the current server once to upgrade it"));
        }

        IDataProtectionProvider provider = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(folder, "keys")),
            builder => builder.SetApplicationName(DataProtectionSecretProtector.ApplicationName));
        return new ServerKeyRingAccess(new SqliteSigningKeyStore(database), new DataProtectionSecretProtector(provider));
    }
}
