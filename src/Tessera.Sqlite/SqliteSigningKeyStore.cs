using System.Globalization;
using Microsoft.Data.Sqlite;
using Tessera.Keys;
using Tessera.Stores;

namespace Tessera.Sqlite;

/// <summary>The key ring in the SQLite file. Private halves arrive already protected; this store never sees them in clear.</summary>
public sealed class SqliteSigningKeyStore(SqliteDatabase database) : ISigningKeyStore
{
    public ValueTask<IReadOnlyList<SigningKeyRecord>> ListAsync(CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<SigningKeyRecord>>(async (connection, ct) =>
        {
            var keys = new List<SigningKeyRecord>();
            SqliteCommand command = connection.Command("""
                SELECT kid, use, algorithm, public_jwk, protected_private, created_at, activates_at, retires_at, format
                FROM signing_keys ORDER BY created_at, kid;
                """);
            await using (command.ConfigureAwait(false))
            {
                SqliteDataReader reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        int format = reader.GetInt32(8);
                        if (format != SigningKeyRecord.CurrentFormatVersion)
                        {
                            throw new StoreUnavailableException(string.Create(CultureInfo.InvariantCulture, $"A signing key has format {format}, which this version cannot read."));
                        }

                        keys.Add(new SigningKeyRecord
                        {
                            KeyId = reader.GetString(0),
                            Use = reader.GetString(1),
                            Algorithm = reader.GetString(2),
                            PublicJwk = SqliteValues.StringOrNull(reader, 3),
                            ProtectedPrivate = reader.GetString(4),
                            CreatedAt = SqliteValues.Time(reader, 5),
                            ActivatesAt = SqliteValues.Time(reader, 6),
                            RetiresAt = SqliteValues.TimeOrNull(reader, 7),
                            FormatVersion = format,
                        });
                    }
                }
            }

            return keys;
        }, cancellationToken);

    public async ValueTask<bool> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return await database.RunAsync((connection, ct) => connection.Command("""
                INSERT INTO signing_keys (kid, use, algorithm, public_jwk, protected_private, created_at, activates_at, retires_at, format)
                VALUES ($kid, $use, $alg, $public, $private, $created, $activates, $retires, $format)
                ON CONFLICT (kid) DO NOTHING;
                """)
            .With("$kid", key.KeyId).With("$use", key.Use).With("$alg", key.Algorithm).With("$public", SqliteValues.OrNull(key.PublicJwk))
            .With("$private", key.ProtectedPrivate).With("$created", SqliteValues.ToUnixMs(key.CreatedAt))
            .With("$activates", SqliteValues.ToUnixMs(key.ActivatesAt)).With("$retires", SqliteValues.ToUnixMsOrNull(key.RetiresAt))
            .With("$format", key.FormatVersion)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<bool> RetireAsync(string keyId, DateTimeOffset retiresAt, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("UPDATE signing_keys SET retires_at = $at WHERE kid = $kid AND retires_at IS NULL;")
            .With("$at", SqliteValues.ToUnixMs(retiresAt)).With("$kid", keyId)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;
}
