using System.Data.Common;
using System.Globalization;
using Tessera.OAuth;

namespace Tessera.Stores.Sql;

/// <summary>
/// One-time authorization codes in a SQL database (table <c>oauth_authorization_codes</c>), keyed by
/// the code's SHA-256. Redemption is one guarded UPDATE: the database lets exactly one of any number
/// of concurrent redeemers, on any instance, change the row (RFC 6749 §4.1.2: a code is used once).
/// </summary>
public abstract class SqlAuthorizationCodeStore : IAuthorizationCodeStore
{
    private const string Columns = "code_hash, client_id, user_id, redirect_uri, scope, code_challenge, nonce, authenticated_at, "
        + "browser_session_handle, created_at, expires_at, redeemed_at, issued_session_handle, format, dpop_jkt";

    private readonly ISqlDatabase _database;

    /// <summary>A store over <paramref name="database"/>; the backend's subclass brings the SQL dialect through it.</summary>
    protected SqlAuthorizationCodeStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    private SqlDialect Dialect => _database.Dialect;

    /// <summary>Stores a new code; a hash that is already stored (a 256-bit collision, or a bug) throws <see cref="InvalidOperationException"/>.</summary>
    public async ValueTask CreateAsync(AuthorizationCode code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        int inserted = await _database.RunAsync((connection, ct) => connection.Command($"""
                INSERT INTO oauth_authorization_codes ({Columns})
                VALUES (@hash, @client, @user, @redirect, @scope, @challenge, @nonce, @authenticated, @browser, @created, @expires, @redeemed, @issued, @format, @jkt)
                ON CONFLICT DO NOTHING;
                """)
            .With("hash", code.CodeHash).With("client", code.ClientId).With("user", code.UserId).With("redirect", code.RedirectUri)
            .With("scope", code.Scope).With("challenge", code.CodeChallenge).With("nonce", code.Nonce)
            .With("authenticated", Dialect.Time(code.AuthenticatedAt)).With("browser", code.BrowserSessionHandle)
            .With("created", Dialect.Time(code.CreatedAt)).With("expires", Dialect.Time(code.ExpiresAt))
            .With("redeemed", Dialect.TimeOrNull(code.RedeemedAt)).With("issued", code.IssuedSessionHandle).With("format", code.FormatVersion)
            .With("jkt", code.DpopKeyThumbprint)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);
        if (inserted != 1)
        {
            throw new InvalidOperationException("An authorization code with this hash already exists.");
        }
    }

    /// <summary>
    /// The UPDATE's WHERE is the compare (<c>redeemed_at IS NULL</c>), re-checked by the database
    /// after any wait for a concurrent writer, so one caller wins. The winner's row as it was before
    /// is the returned row without the two values it just set; a loser (a replay) finds the row
    /// already redeemed and reads it as the winner left it.
    /// </summary>
    public ValueTask<AuthorizationCode?> TryRedeemAsync(ReadOnlyMemory<byte> codeHash, DateTimeOffset redeemedAt, string issuedSessionHandle, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuedSessionHandle);
        return _database.RunAsync(async (connection, ct) =>
        {
            AuthorizationCode? won = await connection.Command($"""
                    UPDATE oauth_authorization_codes SET redeemed_at = @at, issued_session_handle = @issued
                    WHERE code_hash = @hash AND redeemed_at IS NULL
                    RETURNING {Columns};
                    """)
                .With("at", Dialect.Time(redeemedAt)).With("issued", issuedSessionHandle).With("hash", codeHash)
                .ReadFirstAsync(Read, ct).ConfigureAwait(false);
            if (won is not null)
            {
                return won with { RedeemedAt = null, IssuedSessionHandle = null };
            }

            return await connection.Command($"SELECT {Columns} FROM oauth_authorization_codes WHERE code_hash = @hash;")
                .With("hash", codeHash).ReadFirstAsync(Read, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        _database.RunAsync((connection, ct) => connection.Command("DELETE FROM oauth_authorization_codes WHERE expires_at < @before;")
            .With("before", Dialect.Time(before)).ExecuteAsync(ct), cancellationToken);

    private AuthorizationCode Read(DbDataReader reader)
    {
        int format = reader.GetInt32(13);
        if (format != AuthorizationCode.CurrentFormatVersion)
        {
            throw new StoreUnavailableException(string.Create(CultureInfo.InvariantCulture, $"An authorization code has format {format}, which this version cannot read."));
        }

        return new AuthorizationCode
        {
            CodeHash = reader.GetFieldValue<byte[]>(0),
            ClientId = reader.GetString(1),
            UserId = reader.GetString(2),
            RedirectUri = reader.GetString(3),
            Scope = reader.GetString(4),
            CodeChallenge = reader.GetString(5),
            Nonce = reader.StringOrNull(6),
            AuthenticatedAt = Dialect.ReadTime(reader, 7),
            BrowserSessionHandle = reader.StringOrNull(8),
            CreatedAt = Dialect.ReadTime(reader, 9),
            ExpiresAt = Dialect.ReadTime(reader, 10),
            RedeemedAt = Dialect.ReadTimeOrNull(reader, 11),
            IssuedSessionHandle = reader.StringOrNull(12),
            DpopKeyThumbprint = reader.StringOrNull(14),
            FormatVersion = format,
        };
    }
}
