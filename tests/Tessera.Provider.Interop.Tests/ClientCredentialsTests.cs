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
        NodeRelyingParty impostor = fixture.RelyingParty(fixture.Service with { Secret = InteropClient.NewSecret() });

        JsonObject error = (await impostor.ClientCredentialsAsync(InteropFixture.ApiScope)).Error();

        // RFC 6749 §5.2: 401 with the Basic challenge when the client used the header.
        Assert.Equal("invalid_client", (string?)error["error"]);
        Assert.Equal(401, (int?)error["status"]);
    }

    [Fact]
    public async Task AScopeTheServiceIsNotRegisteredForIsInvalidScope()
    {
        JsonObject error = (await fixture.RelyingParty(fixture.Service).ClientCredentialsAsync("openid")).Error();

        Assert.Equal("invalid_scope", (string?)error["error"]);
    }
}
