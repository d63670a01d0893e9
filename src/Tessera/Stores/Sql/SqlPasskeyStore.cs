using System.Data.Common;
using System.Globalization;
using Tessera.Passkeys;

namespace Tessera.Stores.Sql;

/// <summary>
/// Passkeys in a SQL database (table <c>passkeys</c>, keyed by the credential id). The statements
/// are plain SQL every backend runs as written. The primary key decides a race for a credential id
/// across accounts and instances (<c>ON CONFLICT DO NOTHING</c>: WebAuthn §7.1 step 25's refusal is
/// an expected "no"); <see cref="RecordUseAsync"/> is one guarded UPDATE whose WHERE re-checks the
/// counter, so of two assertions carrying one counter value exactly one is recorded; rename and
/// delete name the owner in their WHERE, so another account's id matches nothing. Deleting an
/// account removes its passkeys in the same transaction (<see cref="SqlUserStore.DeleteAsync"/>).
/// </summary>
public abstract class SqlPasskeyStore : IPasskeyStore
{
    private const string Columns = "credential_id, user_id, public_key, sign_count, transports, backup_eligible, backed_up, "
        + "aaguid, attestation_format, name, created_at, last_used_at, format";

    /// <summary>Removes every passkey of <c>@user</c>: <see cref="DeleteAllAsync"/>, and the account delete's first statement.</summary>
    internal const string DeleteAllSql = "DELETE FROM passkeys WHERE user_id = @user;";

    private readonly ISqlDatabase _database;
    private readonly string _list;

    /// <summary>A store over <paramref name="database"/>; the backend's subclass brings the SQL dialect through it.</summary>
    protected SqlPasskeyStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        // Oldest first; the credential id (in byte order, as the in-memory store's ordinal compare)
        // orders two registered in the same millisecond.
        _list = $"SELECT {Columns} FROM passkeys WHERE user_id = @user ORDER BY created_at, {database.Dialect.ByteOrder("credential_id")};";
    }

    private SqlDialect Dialect => _database.Dialect;

    /// <inheritdoc />
    public async ValueTask<bool> AddAsync(PasskeyCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return await _database.RunAsync((connection, ct) => connection.Command($"""
                INSERT INTO passkeys ({Columns})
                VALUES (@id, @user, @key, @count, @transports, @eligible, @backed, @aaguid, @attestation, @name, @created, @used, @format)
                ON CONFLICT DO NOTHING;
                """)
            .With("id", credential.CredentialId).With("user", credential.UserId).With("key", credential.PublicKey)
            .With("count", (long)credential.SignCount).With("transports", SqlJsonLists.Write(credential.Transports))
            .With("eligible", credential.BackupEligible).With("backed", credential.BackedUp).With("aaguid", credential.Aaguid)
            .With("attestation", credential.AttestationFormat).With("name", credential.Name)
            .With("created", Dialect.Time(credential.CreatedAt)).With("used", Dialect.TimeOrNull(credential.LastUsedAt))
            .With("format", credential.FormatVersion)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public ValueTask<PasskeyCredential?> FindAsync(string credentialId, CancellationToken cancellationToken) =>
        _database.RunAsync((connection, ct) => connection.Command($"SELECT {Columns} FROM passkeys WHERE credential_id = @id;")
            .With("id", credentialId).ReadFirstAsync(Read, ct), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PasskeyCredential>> ListAsync(string userId, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<PasskeyCredential>>(async (connection, ct) =>
            await connection.Command(_list).With("user", userId).ReadAllAsync(Read, ct).ConfigureAwait(false), cancellationToken);

    /// <summary>
    /// The UPDATE's WHERE is the compare (<c>sign_count = @expected</c>), re-checked by the database
    /// after any wait for a concurrent writer, so one of two assertions with one counter value wins
    /// (WebAuthn §6.1.1: a counter that did not move on is a sign of a cloned authenticator).
    /// </summary>
    public async ValueTask<bool> RecordUseAsync(string credentialId, uint expectedSignCount, uint signCount, bool backedUp, DateTimeOffset usedAt, CancellationToken cancellationToken) =>
        await _database.RunAsync((connection, ct) => connection.Command("""
                UPDATE passkeys SET sign_count = @count, backed_up = @backed, last_used_at = @at
                WHERE credential_id = @id AND sign_count = @expected;
                """)
            .With("count", (long)signCount).With("backed", backedUp).With("at", Dialect.Time(usedAt))
            .With("id", credentialId).With("expected", (long)expectedSignCount)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public async ValueTask<bool> RenameAsync(string userId, string credentialId, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return await _database.RunAsync((connection, ct) => connection.Command("UPDATE passkeys SET name = @name WHERE credential_id = @id AND user_id = @user;")
            .With("name", name).With("id", credentialId).With("user", userId)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userId, string credentialId, CancellationToken cancellationToken) =>
        await _database.RunAsync((connection, ct) => connection.Command("DELETE FROM passkeys WHERE credential_id = @id AND user_id = @user;")
            .With("id", credentialId).With("user", userId)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public ValueTask<int> DeleteAllAsync(string userId, CancellationToken cancellationToken) =>
        _database.RunAsync((connection, ct) => connection.Command(DeleteAllSql).With("user", userId).ExecuteAsync(ct), cancellationToken);

    private PasskeyCredential Read(DbDataReader reader)
    {
        int format = reader.GetInt32(12);
        if (format != PasskeyCredential.CurrentFormatVersion)
        {
            throw new StoreUnavailableException(string.Create(CultureInfo.InvariantCulture, $"A passkey record has format {format}, which this version cannot read."));
        }

        return new PasskeyCredential
        {
            CredentialId = reader.GetString(0),
            UserId = reader.GetString(1),
            PublicKey = reader.GetFieldValue<byte[]>(2),
            SignCount = checked((uint)reader.GetInt64(3)),
            Transports = SqlJsonLists.Read(reader.GetString(4), "list of passkey transports"),
            BackupEligible = reader.GetBoolean(5),
            BackedUp = reader.GetBoolean(6),
            Aaguid = reader.GetGuid(7),
            AttestationFormat = reader.GetString(8),
            Name = reader.GetString(9),
            CreatedAt = Dialect.ReadTime(reader, 10),
            LastUsedAt = Dialect.ReadTimeOrNull(reader, 11),
            FormatVersion = format,
        };
    }
}
