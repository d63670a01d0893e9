using System.Globalization;
using Npgsql;
using Tessera.Keys;
using Tessera.Stores;

namespace Tessera.PostgreSql;

/// <summary>The key ring in PostgreSQL, shared by every instance. Private halves arrive already protected; this store never sees them in clear.</summary>
public sealed class PostgresSigningKeyStore(PostgresDatabase database) : ISigningKeyStore
{
    public ValueTask<IReadOnlyList<SigningKeyRecord>> ListAsync(CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<SigningKeyRecord>>(async (connection, ct) => await connection.Command("""
                SELECT kid, use, algorithm, public_jwk, protected_private, created_at, activates_at, retires_at, format
                FROM signing_keys ORDER BY created_at, kid COLLATE "C";
                """).ReadAllAsync(Read, ct).ConfigureAwait(false), cancellationToken);

    public async ValueTask<bool> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return await database.RunAsync((connection, ct) => connection.Command("""
                INSERT INTO signing_keys (kid, use, algorithm, public_jwk, protected_private, created_at, activates_at, retires_at, format)
                VALUES (@kid, @use, @alg, @public, @private, @created, @activates, @retires, @format)
                ON CONFLICT (kid) DO NOTHING;
                """)
            .With("kid", key.KeyId).With("use", key.Use).With("alg", key.Algorithm).With("public", key.PublicJwk)
            .With("private", key.ProtectedPrivate).With("created", key.CreatedAt)
            .With("activates", key.ActivatesAt).With("retires", key.RetiresAt).With("format", key.FormatVersion)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<bool> RetireAsync(string keyId, DateTimeOffset retiresAt, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("UPDATE signing_keys SET retires_at = @at WHERE kid = @kid AND retires_at IS NULL;")
            .With("at", retiresAt).With("kid", keyId)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;

    private static SigningKeyRecord Read(NpgsqlDataReader reader)
    {
        int format = reader.GetInt32(8);
        if (format != SigningKeyRecord.CurrentFormatVersion)
        {
            throw new StoreUnavailableException(string.Create(CultureInfo.InvariantCulture, $"A signing key has format {format}, which this version cannot read."));
        }

        return new SigningKeyRecord
        {
            KeyId = reader.GetString(0),
            Use = reader.GetString(1),
            Algorithm = reader.GetString(2),
            PublicJwk = reader.StringOrNull(3),
            ProtectedPrivate = reader.GetString(4),
            CreatedAt = reader.Time(5),
            ActivatesAt = reader.Time(6),
            RetiresAt = reader.TimeOrNull(7),
            FormatVersion = format,
        };
    }
}
