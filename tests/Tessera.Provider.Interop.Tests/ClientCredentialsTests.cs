using System.Text.Json.Nodes;

namespace Tessera.Provider.Interop.Tests;

/// <summary>RFC 6749 §4.4 with openid-client: a service with a secret, no user, no browser.</summary>
[Collection(InteropCollection.Name)]
public sealed class ClientCredentialsTests(InteropFixture fixture)
{
    [Fact]
    public async Task AServiceGetsAnAccessTokenForItsScopeAndNothingElse()
    {
        NodeRelyingParty service = fixture.RelyingParty(fixture.Service);

        JsonObject tokens = (await service.ClientCredentialsAsync(InteropFixture.ApiScope)).Result();

        Assert.False(string.IsNullOrEmpty((string?)tokens["access_token"]));
        // §4.4.3: no refresh token; no user, so no ID token.
        Assert.Null(tokens["refresh_token"]);
        Assert.Null(tokens["id_token"]);
        JsonObject introspected = (await service.IntrospectAsync((string)tokens["access_token"]!)).Result();
        Assert.True((bool?)introspected["active"]);
        Assert.Equal(fixture.Service.ClientId, (string?)introspected["client_id"]);
        Assert.Equal([InteropFixture.ApiScope], ((string?)introspected["scope"] ?? "").Split(' '));
    }

    [Fact]
    public async Task AWrongSecretIsInvalidClient()
    {
        InteropClient impostorClient = fixture.Service with { Secret = InteropClient.NewSecret() };

        JsonObject error = (await fixture.RelyingParty(impostorClient).ClientCredentialsAsync(InteropFixture.ApiScope)).Error();

        // RFC 6749 §5.2: 401 with a challenge for the scheme the client used (Basic). The library
        // reports the challenge (it reads WWW-Authenticate before the body), so check the body too.
        Assert.Equal(401, (int?)error["status"]);
        Assert.True(
            (string?)error["error"] == "invalid_client"
            || ((string?)error["code"] == "OAUTH_WWW_AUTHENTICATE_CHALLENGE" && (string?)error["cause"]?[0]?["scheme"] == "basic"),
            error.ToJsonString());
        using HttpClient http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token") { Content = new FormUrlEncodedContent([KeyValuePair.Create("grant_type", "client_credentials")]) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{impostorClient.ClientId}:{impostorClient.Secret}")));
        using HttpResponseMessage response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())?["error"]);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme, ignoreCase: true);
    }

    [Fact]
    public async Task AScopeTheServiceIsNotRegisteredForIsInvalidScope()
    {
        JsonObject error = (await fixture.RelyingParty(fixture.Service).ClientCredentialsAsync("openid")).Error();

        Assert.Equal("invalid_scope", (string?)error["error"]);
    }
}
