using System.Data.Common;
using System.Globalization;
using Tessera.OAuth;

namespace Tessera.Stores.Sql;

/// <summary>
/// Remembered consents in a SQL database (table <c>oauth_consents</c>, one row per user and client,
/// scopes as a JSON array). A save replaces the row in one upsert; deleting a client deletes its
/// rows (<see cref="SqlClientStore.DeleteAsync"/>).
/// </summary>
public abstract class SqlConsentStore : IConsentStore
{
    /// <summary>The layout of a consent row; <see cref="Consent"/> carries no version of its own.</summary>
    public const int FormatVersion = 1;

    private const string Columns = "user_id, client_id, scopes, granted_at, format";

    private readonly ISqlDatabase _database;
    private readonly string _list;

    /// <summary>A store over <paramref name="database"/>; the backend's subclass brings the SQL dialect through it.</summary>
    protected SqlConsentStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _list = $"SELECT {Columns} FROM oauth_consents WHERE user_id = @user ORDER BY {database.Dialect.ByteOrder("client_id")};";
    }

    private SqlDialect Dialect => _database.Dialect;

    /// <inheritdoc />
    public ValueTask<Consent?> FindAsync(string userId, string clientId, CancellationToken cancellationToken) =>
        _database.RunAsync((connection, ct) => connection.Command($"SELECT {Columns} FROM oauth_consents WHERE user_id = @user AND client_id = @client;")
            .With("user", userId).With("client", clientId).ReadFirstAsync(Read, ct), cancellationToken);

    /// <inheritdoc />
    public async ValueTask SaveAsync(Consent consent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consent);
        string scopes = SqlJsonLists.Write(consent.Scopes);
        await _database.RunAsync((connection, ct) => connection.Command($"""
                INSERT INTO oauth_consents ({Columns}) VALUES (@user, @client, @scopes, @granted, @format)
                ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = excluded.scopes, granted_at = excluded.granted_at, format = excluded.format;
                """)
            .With("user", consent.UserId).With("client", consent.ClientId).With("scopes", scopes)
            .With("granted", Dialect.Time(consent.GrantedAt)).With("format", FormatVersion)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Consent>> ListAsync(string userId, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<Consent>>(async (connection, ct) =>
            await connection.Command(_list).With("user", userId).ReadAllAsync(Read, ct).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userId, string clientId, CancellationToken cancellationToken) =>
        await _database.RunAsync((connection, ct) => connection.Command("DELETE FROM oauth_consents WHERE user_id = @user AND client_id = @client;")
            .With("user", userId).With("client", clientId).ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;

    private Consent Read(DbDataReader reader)
    {
        int format = reader.GetInt32(4);
        if (format != FormatVersion)
        {
            throw new StoreUnavailableException(string.Create(CultureInfo.InvariantCulture, $"A consent has format {format}, which this version cannot read."));
        }

        return new Consent
        {
            UserId = reader.GetString(0),
            ClientId = reader.GetString(1),
            Scopes = SqlJsonLists.Read(reader.GetString(2), "list of consented scopes"),
            GrantedAt = Dialect.ReadTime(reader, 3),
        };
    }
}
