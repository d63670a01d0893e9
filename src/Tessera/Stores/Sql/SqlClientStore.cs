using System.Data.Common;
using System.Globalization;
using Tessera.OAuth;

namespace Tessera.Stores.Sql;

/// <summary>
/// The client registry in a SQL database (table <c>oauth_clients</c>), shared by every instance.
/// List-valued fields are JSON arrays of strings (<see cref="SqlJsonLists"/>); secrets only as
/// their SHA-256 hashes. The primary key decides a race for an id (<c>ON CONFLICT DO NOTHING</c>).
/// </summary>
public abstract class SqlClientStore : IClientStore
{
    private const string Columns = "client_id, display_name, client_type, token_endpoint_auth_method, secret_hashes, jwks, "
        + "redirect_uris, post_logout_redirect_uris, grant_types, scopes, cors_origins, require_consent, id_token_signed_response_alg, created_at, format, require_dpop";

    private const string Parameters = "@id, @name, @type, @method, @secrets, @jwks, "
        + "@redirects, @logout_redirects, @grants, @scopes, @origins, @consent, @alg, @created, @format, @dpop";

    private readonly ISqlDatabase _database;
    private readonly string _list;

    /// <summary>A store over <paramref name="database"/>; the backend's subclass brings the SQL dialect through it.</summary>
    protected SqlClientStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _list = $"SELECT {Columns} FROM oauth_clients ORDER BY {database.Dialect.ByteOrder("client_id")};";
    }

    private SqlDialect Dialect => _database.Dialect;

    /// <inheritdoc />
    public async ValueTask<bool> TryCreateAsync(OAuthClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await _database.RunAsync((connection, ct) => Bind(connection.Command($"""
                INSERT INTO oauth_clients ({Columns}) VALUES ({Parameters})
                ON CONFLICT DO NOTHING;
                """), client).ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public ValueTask<OAuthClient?> FindAsync(string clientId, CancellationToken cancellationToken) =>
        _database.RunAsync((connection, ct) => connection.Command($"SELECT {Columns} FROM oauth_clients WHERE client_id = @id;")
            .With("id", clientId).ReadFirstAsync(Read, ct), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OAuthClient>> ListAsync(CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<OAuthClient>>(async (connection, ct) =>
            await connection.Command(_list).ReadAllAsync(Read, ct).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(OAuthClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await _database.RunAsync((connection, ct) => Bind(connection.Command("""
                UPDATE oauth_clients SET display_name = @name, client_type = @type, token_endpoint_auth_method = @method,
                    secret_hashes = @secrets, jwks = @jwks, redirect_uris = @redirects, post_logout_redirect_uris = @logout_redirects,
                    grant_types = @grants, scopes = @scopes, cors_origins = @origins, require_consent = @consent,
                    id_token_signed_response_alg = @alg, created_at = @created, format = @format, require_dpop = @dpop
                WHERE client_id = @id;
                """), client).ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>The client and the consents users gave it go together, in one write transaction.</summary>
    public ValueTask<bool> DeleteAsync(string clientId, CancellationToken cancellationToken) =>
        _database.RunAsync(async (connection, ct) =>
        {
            DbTransaction transaction = await Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await connection.Command("DELETE FROM oauth_consents WHERE client_id = @id;", transaction).With("id", clientId).ExecuteAsync(ct).ConfigureAwait(false);
                int deleted = await connection.Command("DELETE FROM oauth_clients WHERE client_id = @id;", transaction).With("id", clientId).ExecuteAsync(ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return deleted == 1;
            }
        }, cancellationToken);

    private DbCommand Bind(DbCommand command, OAuthClient client) => command
        .With("id", client.ClientId).With("name", client.DisplayName).With("type", client.ClientType)
        .With("method", client.TokenEndpointAuthMethod).With("secrets", SqlJsonLists.WriteBytes(client.SecretHashes))
        .With("jwks", client.JwksJson).With("redirects", SqlJsonLists.Write(client.RedirectUris))
        .With("logout_redirects", SqlJsonLists.Write(client.PostLogoutRedirectUris)).With("grants", SqlJsonLists.Write(client.GrantTypes))
        .With("scopes", SqlJsonLists.Write(client.Scopes)).With("origins", SqlJsonLists.Write(client.CorsOrigins))
        .With("consent", client.RequireConsent).With("alg", client.IdTokenSignedResponseAlg)
        .With("created", Dialect.Time(client.CreatedAt)).With("format", client.FormatVersion)
        .With("dpop", client.RequireDpopBoundAccessTokens);

    private OAuthClient Read(DbDataReader reader)
    {
        int format = reader.GetInt32(14);
        if (format != OAuthClient.CurrentFormatVersion)
        {
            throw new StoreUnavailableException(string.Create(CultureInfo.InvariantCulture, $"A client record has format {format}, which this version cannot read."));
        }

        return new OAuthClient
        {
            ClientId = reader.GetString(0),
            DisplayName = reader.GetString(1),
            ClientType = reader.GetString(2),
            TokenEndpointAuthMethod = reader.GetString(3),
            SecretHashes = SqlJsonLists.ReadBytes(reader.GetString(4), "list of client secret hashes"),
            JwksJson = reader.StringOrNull(5),
            RedirectUris = SqlJsonLists.Read(reader.GetString(6), "list of redirect URIs"),
            PostLogoutRedirectUris = SqlJsonLists.Read(reader.GetString(7), "list of post-logout redirect URIs"),
            GrantTypes = SqlJsonLists.Read(reader.GetString(8), "list of grant types"),
            Scopes = SqlJsonLists.Read(reader.GetString(9), "list of client scopes"),
            CorsOrigins = SqlJsonLists.Read(reader.GetString(10), "list of CORS origins"),
            RequireConsent = reader.GetBoolean(11),
            IdTokenSignedResponseAlg = reader.GetString(12),
            CreatedAt = Dialect.ReadTime(reader, 13),
            RequireDpopBoundAccessTokens = reader.GetBoolean(15),
            FormatVersion = format,
        };
    }
}
