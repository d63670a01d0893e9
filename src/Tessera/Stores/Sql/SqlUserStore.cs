using System.Data.Common;
using Tessera.Users;

namespace Tessera.Stores.Sql;

/// <summary>
/// Accounts in a SQL database. The statements are plain SQL every backend runs as written; the
/// unique index on the normalized name decides races (<c>ON CONFLICT DO NOTHING</c>: a taken name
/// or id is an expected "no", not an error), across instances too. Also the administration's
/// <see cref="IUserDirectory"/>: keyset pages in byte order of the normalized name (the unique
/// index serves them), literal substring search.
/// </summary>
public abstract class SqlUserStore : IUserStore, IUserDirectory
{
    private const string Columns = "id, username, normalized_username, password_hash, created_at, failed_sign_ins, locked_until, format, roles, disabled_at";

    private readonly ISqlDatabase _database;

    /// <summary>A store over <paramref name="database"/>; the backend's subclass brings the SQL dialect through it.</summary>
    protected SqlUserStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    private SqlDialect Dialect => _database.Dialect;

    /// <inheritdoc />
    public async ValueTask<bool> TryCreateAsync(UserRecord user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return await _database.RunAsync((connection, ct) => connection.Command($"""
                INSERT INTO users ({Columns}) VALUES (@id, @username, @normalized, @hash, @created, @failed, @locked, @format, @roles, @disabled)
                ON CONFLICT DO NOTHING;
                """)
            .With("id", user.Id).With("username", user.Username).With("normalized", user.NormalizedUsername)
            .With("hash", user.PasswordHash).With("created", Dialect.Time(user.CreatedAt))
            .With("failed", user.FailedSignInCount).With("locked", Dialect.TimeOrNull(user.LockedUntil)).With("format", user.FormatVersion)
            .With("roles", RolesText(user.Roles)).With("disabled", Dialect.TimeOrNull(user.DisabledAt))
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public ValueTask<UserRecord?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        FindAsync($"SELECT {Columns} FROM users WHERE id = @key;", userId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<UserRecord?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken) =>
        FindAsync($"SELECT {Columns} FROM users WHERE normalized_username = @key;", normalizedUsername, cancellationToken);

    /// <inheritdoc />
    public async ValueTask UpdatePasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken) =>
        await _database.RunAsync((connection, ct) => connection.Command("UPDATE users SET password_hash = @hash WHERE id = @id;")
            .With("hash", passwordHash).With("id", userId).ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<int> IncrementFailedSignInsAsync(string userId, CancellationToken cancellationToken) =>
        _database.RunAsync((connection, ct) => connection.Command("UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE id = @id RETURNING failed_sign_ins;")
            .With("id", userId).ReadFirstAsync(reader => reader.GetInt32(0), ct), cancellationToken);

    /// <inheritdoc />
    public async ValueTask SetLockoutAsync(string userId, DateTimeOffset? lockedUntil, CancellationToken cancellationToken) =>
        await _database.RunAsync((connection, ct) => connection.Command("UPDATE users SET locked_until = @locked, failed_sign_ins = 0 WHERE id = @id;")
            .With("locked", Dialect.TimeOrNull(lockedUntil)).With("id", userId).ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<bool> SetRolesAsync(string userId, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        string stored = RolesText(roles);
        return await _database.RunAsync((connection, ct) => connection.Command("UPDATE users SET roles = @roles WHERE id = @id;")
            .With("roles", stored).With("id", userId).ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<UserPage> ListAsync(UserQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        int limit = Math.Clamp(query.Limit, 1, UserQuery.MaxLimit);

        // Built from constant fragments: only the filters given, so each page is a range scan of an
        // index in byte order of normalized_username (a search still reads the rows after the cursor).
        string normalized = Dialect.ByteOrder("normalized_username");
        var conditions = new List<string>(2);
        if (query.After is not null)
        {
            conditions.Add($"{normalized} > @after");
        }

        if (query.Search is not null)
        {
            conditions.Add($"(id = @search OR {Dialect.ContainsText("normalized_username", "@search")})");
        }

        string where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        string sql = $"SELECT {Columns} FROM users {where} ORDER BY {normalized} LIMIT @limit;";

        // One row more than the page says whether there is a next page.
        List<UserRecord> rows = await _database.RunAsync((connection, ct) =>
        {
            DbCommand command = connection.Command(sql).With("limit", limit + 1);
            if (query.After is not null)
            {
                command.With("after", query.After);
            }

            if (query.Search is not null)
            {
                command.With("search", query.Search);
            }

            return command.ReadAllAsync(Read, ct);
        }, cancellationToken).ConfigureAwait(false);

        return rows.Count > limit
            ? new UserPage(rows[..limit], rows[limit - 1].NormalizedUsername)
            : new UserPage(rows, null);
    }

    /// <inheritdoc />
    public async ValueTask<bool> SetDisabledAsync(string userId, DateTimeOffset? disabledAt, CancellationToken cancellationToken) =>
        await _database.RunAsync((connection, ct) => connection.Command("UPDATE users SET disabled_at = @disabled WHERE id = @id;")
            .With("disabled", Dialect.TimeOrNull(disabledAt)).With("id", userId).ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>
    /// Removes the account and its passkeys (<see cref="SqlPasskeyStore"/>) in one write transaction:
    /// a passkey must not outlive its account, or a discoverable sign-in could name a deleted user.
    /// Sessions and consents stay the caller's (<see cref="UserAdministration.DeleteAsync"/>).
    /// </summary>
    public ValueTask<bool> DeleteAsync(string userId, CancellationToken cancellationToken) =>
        _database.RunAsync(async (connection, ct) =>
        {
            DbTransaction transaction = await Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await connection.Command(SqlPasskeyStore.DeleteAllSql, transaction).With("user", userId).ExecuteAsync(ct).ConfigureAwait(false);
                int deleted = await connection.Command("DELETE FROM users WHERE id = @id;", transaction).With("id", userId).ExecuteAsync(ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return deleted == 1;
            }
        }, cancellationToken);

    /// <summary>The <c>roles</c> column: a JSON array of the names, after <see cref="RoleNames.ThrowIfInvalid"/>.</summary>
    private static string RolesText(IReadOnlyList<string> roles)
    {
        RoleNames.ThrowIfInvalid(roles);
        return SqlJsonLists.Write(roles);
    }

    // The public method's name goes on to the store-call measurement, not the helper's.
    private ValueTask<UserRecord?> FindAsync(string sql, string key, CancellationToken cancellationToken, [System.Runtime.CompilerServices.CallerMemberName] string caller = "") =>
        _database.RunAsync((connection, ct) => connection.Command(sql).With("key", key).ReadFirstAsync(Read, ct), cancellationToken, caller);

    private UserRecord Read(DbDataReader reader)
    {
        int format = reader.GetInt32(7);
        if (format != UserRecord.CurrentFormatVersion)
        {
            throw new StoreUnavailableException($"A user record has format {format}, which this version cannot read.");
        }

        return new UserRecord
        {
            Id = reader.GetString(0),
            Username = reader.GetString(1),
            NormalizedUsername = reader.GetString(2),
            PasswordHash = reader.GetString(3),
            CreatedAt = Dialect.ReadTime(reader, 4),
            FailedSignInCount = reader.GetInt32(5),
            LockedUntil = Dialect.ReadTimeOrNull(reader, 6),
            Roles = SqlJsonLists.Read(reader.GetString(8), "list of roles"),
            DisabledAt = Dialect.ReadTimeOrNull(reader, 9),
            FormatVersion = format,
        };
    }
}
