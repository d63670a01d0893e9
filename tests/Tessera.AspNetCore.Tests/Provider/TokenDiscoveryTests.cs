using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>OIDC Discovery §3 and RFC 8414 §2: one complete, true document at both paths.</summary>
public sealed class TokenDiscoveryTests
{
    private static async Task<JsonElement> GetAsync(ProviderTokenHost host, string path)
    {
        HttpResponseMessage response = await host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ProviderTokenHost.JsonAsync(response);
    }

    private static string[] Strings(JsonElement document, string member) =>
        [.. document.GetProperty(member).EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task BothPathsServeTheSameCompleteDocument()
    {
        await using ProviderTokenHost host = await ProviderTokenHost.StartAsync();

        JsonElement oidc = await GetAsync(host, "/.well-known/openid-configuration");
        JsonElement oauth = await GetAsync(host, "/.well-known/oauth-authorization-server");

        Assert.Equal(oidc.GetRawText(), oauth.GetRawText());
        Assert.Equal("https://localhost", oidc.GetProperty("issuer").GetString());
        Assert.Equal("https://localhost/oauth2/token", oidc.GetProperty("token_endpoint").GetString());
        Assert.Equal("https://localhost/oauth2/revoke", oidc.GetProperty("revocation_endpoint").GetString());
        Assert.Equal("https://localhost/oauth2/introspect", oidc.GetProperty("introspection_endpoint").GetString());
        Assert.Equal("https://localhost/.well-known/jwks.json", oidc.GetProperty("jwks_uri").GetString());
        Assert.Equal(["none", "client_secret_basic", "client_secret_post", "private_key_jwt"], Strings(oidc, "token_endpoint_auth_methods_supported"));
        Assert.Contains("ES256", Strings(oidc, "token_endpoint_auth_signing_alg_values_supported"));
        Assert.Contains("RS256", Strings(oidc, "token_endpoint_auth_signing_alg_values_supported"));
        Assert.DoesNotContain("HS256", Strings(oidc, "token_endpoint_auth_signing_alg_values_supported"));
        Assert.DoesNotContain("none", Strings(oidc, "introspection_endpoint_auth_methods_supported"));
        Assert.Equal(["S256"], Strings(oidc, "code_challenge_methods_supported"));
        Assert.Contains("RS256", Strings(oidc, "id_token_signing_alg_values_supported"));
        Assert.Contains("client_credentials", Strings(oidc, "grant_types_supported"));
        Assert.Contains("openid", Strings(oidc, "scopes_supported"));
        Assert.Contains("offline_access", Strings(oidc, "scopes_supported"));
        Assert.Equal(["public"], Strings(oidc, "subject_types_supported"));
        Assert.False(oidc.GetProperty("request_parameter_supported").GetBoolean());
        Assert.False(oidc.GetProperty("request_uri_parameter_supported").GetBoolean());
    }

    [Fact]
    public async Task EndpointsThatAreNotMappedAreNotAdvertised()
    {
        await using ProviderTokenHost host = await ProviderTokenHost.StartAsync();

        JsonElement document = await GetAsync(host, "/.well-known/openid-configuration");

        foreach (string member in (string[])["authorization_endpoint", "userinfo_endpoint", "end_session_endpoint", "pushed_authorization_request_endpoint", "authorization_response_iss_parameter_supported"])
        {
            Assert.False(document.TryGetProperty(member, out _), member);
        }

        Assert.Empty(Strings(document, "response_types_supported"));
        Assert.DoesNotContain("authorization_code", Strings(document, "grant_types_supported"));
    }

    [Fact]
    public async Task MappedProviderEndpointsAreAdvertisedWithWhatTheyBring()
    {
        await using ProviderTokenHost host = await ProviderTokenHost.StartAsync(map: app =>
        {
            // Stand-ins for the authorize engineer's endpoints: only their routes matter to discovery.
            foreach (string path in (string[])["/oauth2/authorize", "/oauth2/userinfo", "/oauth2/logout", "/oauth2/par"])
            {
                app.MapGet(path, () => Results.NoContent());
            }
        });

        JsonElement document = await GetAsync(host, "/.well-known/oauth-authorization-server");

        Assert.Equal("https://localhost/oauth2/authorize", document.GetProperty("authorization_endpoint").GetString());
        Assert.Equal("https://localhost/oauth2/userinfo", document.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal("https://localhost/oauth2/logout", document.GetProperty("end_session_endpoint").GetString());
        Assert.Equal("https://localhost/oauth2/par", document.GetProperty("pushed_authorization_request_endpoint").GetString());
        Assert.Equal(["code"], Strings(document, "response_types_supported"));
        Assert.Contains("authorization_code", Strings(document, "grant_types_supported"));
        Assert.True(document.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
    }
}
