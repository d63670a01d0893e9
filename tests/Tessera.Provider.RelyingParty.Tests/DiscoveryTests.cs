using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Xunit.Abstractions;

namespace Tessera.Provider.RelyingParty.Tests;

/// <summary>
/// Tessera's discovery document as Microsoft's stock retriever reads it (the one the relying party
/// and JwtBearer use): it must advertise what the stock handler will ask for.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class DiscoveryTests(ProviderFixture fixture, ITestOutputHelper output) : ProviderTest(fixture, output)
{
    [Fact]
    public async Task DiscoveryAdvertisesWhatTheStockRelyingPartyUses()
    {
        var retriever = new HttpDocumentRetriever { RequireHttps = false };
        OpenIdConnectConfiguration configuration = await OpenIdConnectConfigurationRetriever.GetAsync(
            new Uri(Fixture.Tessera, ".well-known/openid-configuration").ToString(), retriever, CancellationToken.None);

        Assert.Equal(Fixture.Tessera.ToString().TrimEnd('/'), configuration.Issuer.TrimEnd('/'));
        Assert.Contains("code", configuration.ResponseTypesSupported);
        // The handler's default response_mode (OAuth 2.0 Form Post Response Mode).
        Assert.Contains("form_post", configuration.ResponseModesSupported);
        Assert.Contains("S256", configuration.CodeChallengeMethodsSupported);
        // The handler sends its secret in the form body.
        Assert.Contains("client_secret_post", configuration.TokenEndpointAuthMethodsSupported);
        // OIDC Core §15.1: RS256 is what every relying party can verify.
        Assert.Contains("RS256", configuration.IdTokenSigningAlgValuesSupported);
        Assert.Contains("login", configuration.PromptValuesSupported);
        Assert.Equal(new Uri(Fixture.Tessera, "oauth2/logout").ToString(), configuration.EndSessionEndpoint);
        Assert.Equal(new Uri(Fixture.Tessera, "oauth2/userinfo").ToString(), configuration.UserInfoEndpoint);
        Assert.NotEmpty(configuration.JsonWebKeySet.Keys);
    }
}
