using System.Net;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>RFC 6750 §3: a 401 from an API that accepts bearer tokens names the Bearer scheme too.</summary>
public sealed class TokenBearerChallengeTests
{
    [Fact]
    public async Task UnauthenticatedRequestGetsCookieAndBearerChallenges()
    {
        await using ProviderTokenHost host = await ProviderTokenHost.StartAsync();

        HttpResponseMessage response = await host.Client.GetAsync("/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        string[] schemes = [.. response.Headers.WwwAuthenticate.Select(h => h.Scheme)];
        Assert.Contains("Cookie", schemes);
        Assert.Contains("Bearer", schemes);
        Assert.Equal("realm=\"Tessera\"", response.Headers.WwwAuthenticate.Single(h => h.Scheme == "Bearer").Parameter);
    }
}
