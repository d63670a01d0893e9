using System.Text.Json.Nodes;

namespace Tessera.Provider.Interop.Tests;

/// <summary>openid-client reads both metadata documents (and checks each one's issuer itself).</summary>
[Collection(InteropCollection.Name)]
public sealed class DiscoveryTests(InteropFixture fixture)
{
    [Fact]
    public async Task BothMetadataDocumentsAreAcceptedAndDescribeTheSameServer()
    {
        JsonObject result = (await fixture.RelyingParty(fixture.Confidential).DiscoverAsync()).Result();
        JsonObject oidc = result["openidConfiguration"]!.AsObject();
        JsonObject oauth2 = result["authorizationServer"]!.AsObject();
        string issuer = fixture.Issuer.ToString().TrimEnd('/');

        foreach (JsonObject metadata in new[] { oidc, oauth2 })
        {
            Assert.Equal(issuer, (string?)metadata["issuer"]);
            Assert.Equal($"{issuer}/oauth2/authorize", (string?)metadata["authorization_endpoint"]);
            Assert.Equal($"{issuer}/oauth2/token", (string?)metadata["token_endpoint"]);
            Assert.Equal($"{issuer}/oauth2/revoke", (string?)metadata["revocation_endpoint"]);
            Assert.Equal($"{issuer}/oauth2/introspect", (string?)metadata["introspection_endpoint"]);
            Assert.Equal($"{issuer}/.well-known/jwks.json", (string?)metadata["jwks_uri"]);
            // OAuth 2.1 / RFC 9700 §2.1.1: S256 only, never plain.
            Assert.Equal(["S256"], Strings(metadata, "code_challenge_methods_supported"));
            Assert.Contains("code", Strings(metadata, "response_types_supported"));
            Assert.Subset(Strings(metadata, "grant_types_supported").ToHashSet(), new HashSet<string> { "authorization_code", "refresh_token", "client_credentials" });
            Assert.Subset(Strings(metadata, "token_endpoint_auth_methods_supported").ToHashSet(), new HashSet<string> { "client_secret_basic", "none" });
            // RFC 9207 §3: the provider sends iss with every authorization response and says so.
            Assert.True((bool?)metadata["authorization_response_iss_parameter_supported"]);
        }

        // OpenID Connect Discovery 1.0 §3: what a relying party needs beyond RFC 8414.
        Assert.Equal($"{issuer}/oauth2/userinfo", (string?)oidc["userinfo_endpoint"]);
        Assert.Equal($"{issuer}/oauth2/logout", (string?)oidc["end_session_endpoint"]);
        Assert.Contains("RS256", Strings(oidc, "id_token_signing_alg_values_supported"));
        Assert.Contains("public", Strings(oidc, "subject_types_supported"));
        Assert.Subset(Strings(oidc, "scopes_supported").ToHashSet(), new HashSet<string> { "openid", "profile", "offline_access" });
    }

    private static List<string> Strings(JsonObject metadata, string name) =>
        metadata[name] is JsonArray values ? [.. values.Select(v => (string)v!)] : throw new Xunit.Sdk.XunitException($"The metadata has no '{name}' array: {metadata.ToJsonString()}");
}
