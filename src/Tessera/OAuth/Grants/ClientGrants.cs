namespace Tessera.OAuth.Grants;

/// <summary>Which grants a registered client may use (RFC 6749 §5.2 <c>unauthorized_client</c> otherwise).</summary>
public static class ClientGrants
{
    /// <summary>
    /// True when <paramref name="client"/> is registered for <paramref name="grantType"/>;
    /// client_credentials only for a confidential client (RFC 6749 §4.4: it must authenticate).
    /// </summary>
    public static bool Allows(OAuthClient client, string grantType)
    {
        ArgumentNullException.ThrowIfNull(client);
        bool registered = client.GrantTypes.Contains(grantType, StringComparer.Ordinal);
        return grantType == GrantTypes.ClientCredentials ? registered && client.IsConfidential : registered;
    }
}
