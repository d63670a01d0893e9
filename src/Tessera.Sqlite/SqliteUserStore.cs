using System.Globalization;
using Microsoft.Data.Sqlite;
using Tessera.Stores;
using Tessera.Users;

namespace Tessera.Sqlite;

/// <summary>Accounts in the SQLite file; the unique index on the normalized name decides races.</summary>
public sealed class SqliteUserStore(SqliteDatabase database) : IUserStore
{
    private const string Columns = "id, username, normalized_username, password_hash, created_at, failed_sign_ins, locked_until, format";

    public ValueTask<bool> TryCreateAsync(UserRecord user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return database.RunAsync(async (connection, ct) =>
        {
            try
            {
                await connection.Command($"INSERT INTO users ({Columns}) VALUES ($id, $username, $normalized, $hash, $created, $failed, $locked, $format);")
                    .With("$id", user.Id).With("$username", user.Username).With("$normalized", user.NormalizedUsername)
                    .With("$hash", user.PasswordHash).With("$created", SqliteValues.ToUnixMs(user.CreatedAt))
                    .With("$failed", user.FailedSignInCount).With("$locked", SqliteValues.ToUnixMsOrNull(user.LockedUntil))
                    .With("$format", user.FormatVersion)
                    .ExecuteAsync(ct).ConfigureAwait(false);
                return true;
            }
            catch (SqliteException ex) when (SqliteErrors.IsConstraintViolation(ex))
            {
                return false;
            }
        }, cancellationToken);
    }

    public ValueTask<UserRecord?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        FindAsync($"SELECT {Columns} FROM users WHERE id = $key;", userId, cancellationToken);

    public ValueTask<UserRecord?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken) =>
        FindAsync($"SELECT {Columns} FROM users WHERE normalized_username = $key;", normalizedUsername, cancellationToken);

    public async ValueTask UpdatePasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("UPDATE users SET password_hash = $hash WHERE id = $id;")
            .With("$hash", passwordHash).With("$id", userId).ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);

    public ValueTask<int> IncrementFailedSignInsAsync(string userId, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            SqliteCommand command = connection.Command("UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE id = $id RETURNING failed_sign_ins;").With("$id", userId);
            await using (command.ConfigureAwait(false))
            {
                object? count = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
                return count is null ? 0 : Convert.ToInt32(count, CultureInfo.InvariantCulture);
            }
        }, cancellationToken);

    public async ValueTask SetLockoutAsync(string userId, DateTimeOffset? lockedUntil, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("UPDATE users SET locked_until = $locked, failed_sign_ins = 0 WHERE id = $id;")
            .With("$locked", SqliteValues.ToUnixMsOrNull(lockedUntil)).With("$id", userId).ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);

    private ValueTask<UserRecord?> FindAsync(string sql, string key, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            SqliteCommand command = connection.Command(sql).With("$key", key);
            await using (command.ConfigureAwait(false))
            {
                SqliteDataReader reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    return await reader.ReadAsync(ct).ConfigureAwait(false) ? Read(reader) : null;
                }
            }
        }, cancellationToken);

    private static UserRecord Read(SqliteDataReader reader)
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
            CreatedAt = SqliteValues.Time(reader, 4),
            FailedSignInCount = reader.GetInt32(5),
            LockedUntil = SqliteValues.TimeOrNull(reader, 6),
            FormatVersion = format,
        };
    }
}
