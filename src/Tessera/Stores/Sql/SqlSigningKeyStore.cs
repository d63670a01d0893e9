using System.Data.Common;
using System.Globalization;
using Tessera.Keys;

namespace Tessera.Stores.Sql;

/// <summary>
/// The key ring in a SQL database, shared by every instance that uses it. Private halves arrive
/// already protected; this store never sees them in clear. The statements are the same in every
/// backend (key ids sort in byte order, as the dialect spells it).
/// </summary>
public abstract class SqlSigningKeyStore : ISigningKeyStore
{
    private const string Columns = "kid, use, algorithm, public_jwk, protected_private, created_at, activates_at, retires_at, format";

    private readonly ISqlDatabase _database;
    private readonly string _list;

    /// <summary>A store over <paramref name="database"/>; the backend's subclass brings the SQL dialect through it.</summary>
    protected SqlSigningKeyStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _list = $"SELECT {Columns} FROM signing_keys ORDER BY created_at, {database.Dialect.ByteOrder("kid")};";
    }

    private SqlDialect Dialect => _database.Dialect;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SigningKeyRecord>> ListAsync(CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<SigningKeyRecord>>(async (connection, ct) =>
            await connection.Command(_list).ReadAllAsync(Read, ct).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public async ValueTask<bool> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return await _database.RunAsync((connection, ct) => connection.Command($"""
                INSERT INTO signing_keys ({Columns})
                VALUES (@kid, @use, @alg, @public, @private, @created, @activates, @retires, @format)
                ON CONFLICT (kid) DO NOTHING;
                """)
            .With("kid", key.KeyId).With("use", key.Use).With("alg", key.Algorithm).With("public", key.PublicJwk)
            .With("private", key.ProtectedPrivate).With("created", Dialect.Time(key.CreatedAt))
            .With("activates", Dialect.Time(key.ActivatesAt)).With("retires", Dialect.TimeOrNull(key.RetiresAt)).With("format", key.FormatVersion)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RetireAsync(string keyId, DateTimeOffset retiresAt, CancellationToken cancellationToken) =>
        await _database.RunAsync((connection, ct) => connection.Command("UPDATE signing_keys SET retires_at = @at WHERE kid = @kid AND retires_at IS NULL;")
            .With("at", Dialect.Time(retiresAt)).With("kid", keyId)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;

    private SigningKeyRecord Read(DbDataReader reader)
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
            CreatedAt = Dialect.ReadTime(reader, 5),
            ActivatesAt = Dialect.ReadTime(reader, 6),
            RetiresAt = Dialect.ReadTimeOrNull(reader, 7),
            FormatVersion = format,
        };
    }
}
