using Tessera.OAuth;

namespace Tessera.Provider.RelyingParty.Tests;

/// <summary>
/// A confidential client as the operator registers it in Tessera's configuration
/// (<c>Tessera:Clients:{id}:…</c>, bound to ConfiguredClient): a generated secret, the relying party's exact redirect and
/// post-logout URIs, its scopes, consent required.
/// </summary>
public sealed record RelyingPartyClient(string ClientId, string DisplayName, int Port, IReadOnlyList<string> Scopes)
{
    public string Secret { get; } = ClientSecrets.Generate().Secret;

    public string RedirectUri => RelyingPartyApp.RedirectUri(Port);

    public string PostLogoutRedirectUri => RelyingPartyApp.PostLogoutRedirectUri(Port);

    /// <summary>The secret as docs/oauth.md advises: an environment variable, never on a command line.</summary>
    public KeyValuePair<string, string> SecretEnvironmentVariable() => new($"Tessera__Clients__{ClientId}__Secret", Secret);

    /// <summary>The command-line settings that register this client when Tessera starts.</summary>
    public IEnumerable<string> ConfigurationArguments()
    {
        string prefix = $"--Tessera:Clients:{ClientId}:";
        yield return prefix + "DisplayName";
        yield return DisplayName;
        yield return prefix + "Type";
        yield return ClientTypes.Confidential;
        // Microsoft's handler sends client_id and client_secret in the form body (RFC 6749 §2.3.1),
        // and Tessera holds a client to its registered method.
        yield return prefix + "TokenEndpointAuthMethod";
        yield return ClientAuthMethods.ClientSecretPost;
        yield return prefix + "RedirectUris:0";
        yield return RedirectUri;
        yield return prefix + "PostLogoutRedirectUris:0";
        yield return PostLogoutRedirectUri;
        for (int i = 0; i < Scopes.Count; i++)
        {
            yield return prefix + $"Scopes:{i}";
            yield return Scopes[i];
        }

        yield return prefix + "GrantTypes:0";
        yield return GrantTypes.AuthorizationCode;
        yield return prefix + "GrantTypes:1";
        yield return GrantTypes.RefreshToken;
        yield return prefix + "RequireConsent";
        yield return "true";
    }
}
