using System.Net;
using Tessera.Jose.Keys;

namespace Tessera.AspNetCore.Tests.Bearer;

/// <summary>Discovery and the JWKS cache, seen from the issuer: what is fetched, when, and what happens when the issuer misbehaves.</summary>
public sealed class JwksCacheTests : BearerTestBase
{
    private static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task KeysAreFetchedOnceAndReusedUntilTheCacheDurationPasses()
    {
        ResourceServer api = await StartApiAsync(o => o.KeyCacheDuration = TimeSpan.FromMinutes(5));

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        }

        Assert.Equal((1, 1), (Issuer.DiscoveryRequests, Issuer.JwksRequests));
        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        Assert.Equal((2, 2), (Issuer.DiscoveryRequests, Issuer.JwksRequests));
    }

    [Fact]
    public async Task RotatedKeyTriggersOneRefetchAndThenSucceeds()
    {
        ResourceServer api = await StartApiAsync(o => o.RefreshCooldown = Cooldown);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        Time.Advance(Cooldown);

        Issuer.Rotate(dropOld: true);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);

        Assert.Equal(2, Issuer.JwksRequests);
    }

    [Fact]
    public async Task ManyConcurrentRequestsWithAnUnknownKidCauseExactlyOneFetch()
    {
        const int Requests = 40;
        int entered = 0;
        ResourceServer api = await StartApiAsync(o =>
        {
            o.RefreshCooldown = Cooldown;
            o.Events.OnMessageReceived = _ =>
            {
                Interlocked.Increment(ref entered);
                return Task.CompletedTask;
            };
        });
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        Time.Advance(Cooldown);
        Issuer.Rotate();
        string token = Issuer.Token();
        Issuer.HoldJwks = true; // the refetch waits at the issuer until every request is in
        Volatile.Write(ref entered, 0);

        Task<HttpResponseMessage>[] responses = [.. Enumerable.Range(0, Requests).Select(_ => api.GetAsync("/me", token))];
        await WaitUntilAsync(() => Volatile.Read(ref entered) == Requests && Issuer.JwksRequests == 2);
        Issuer.ReleaseHeldRequests();
        HttpResponseMessage[] answers = await Task.WhenAll(responses).WaitAsync(Bounded);

        Assert.All(answers, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(2, Issuer.JwksRequests);
    }

    [Fact]
    public async Task CooldownBoundsRefetchesForUnknownKids()
    {
        ResourceServer api = await StartApiAsync(o => o.RefreshCooldown = Cooldown);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);

        for (int i = 0; i < 10; i++)
        {
            await AssertRefusedAsync(await api.GetAsync("/me", Issuer.Token(key: Jwk.Generate("ES256"))), "key_not_found");
        }

        Assert.Equal(1, Issuer.JwksRequests); // within the cool-down: no refetch at all
        Time.Advance(Cooldown);
        for (int i = 0; i < 10; i++)
        {
            await AssertRefusedAsync(await api.GetAsync("/me", Issuer.Token(key: Jwk.Generate("ES256"))), "key_not_found");
        }

        Assert.Equal(2, Issuer.JwksRequests); // one refetch per cool-down
    }

    [Fact]
    public async Task RotatedKeyIsRefusedUntilTheCooldownAllowsARefetch()
    {
        ResourceServer api = await StartApiAsync(o => o.RefreshCooldown = Cooldown);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        Issuer.Rotate();

        await AssertRefusedAsync(await api.GetAsync("/me", Issuer.Token()), "key_not_found");
        Time.Advance(Cooldown);

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
    }

    [Theory]
    [InlineData(IssuerBehaviour.Fail)]
    [InlineData(IssuerBehaviour.Garbage)]
    [InlineData(IssuerBehaviour.Huge)]
    public async Task StaleKeysKeepWorkingWhileTheIssuerMisbehaves(IssuerBehaviour behaviour)
    {
        ResourceServer api = await StartApiAsync(o => (o.KeyCacheDuration, o.RefreshCooldown) = (TimeSpan.FromMinutes(5), Cooldown));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        Issuer.Behaviour = behaviour;
        Time.Advance(TimeSpan.FromMinutes(6));
        int before = Issuer.DiscoveryRequests;

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        Assert.Equal(before + 1, Issuer.DiscoveryRequests); // it did try
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        Assert.Equal(before + 1, Issuer.DiscoveryRequests); // and waits a cool-down before trying again
    }

    [Theory]
    [InlineData(IssuerBehaviour.Fail)]
    [InlineData(IssuerBehaviour.Garbage)]
    [InlineData(IssuerBehaviour.Huge)]
    public async Task WithNoKeysYetAMisbehavingIssuerGives503JwksUnavailable(IssuerBehaviour behaviour)
    {
        Issuer.Behaviour = behaviour;
        ResourceServer api = await StartApiAsync();

        await AssertKeysUnavailableAsync(await api.GetAsync("/me", Issuer.Token()));

        Issuer.Behaviour = IssuerBehaviour.Normal;
        Time.Advance(Cooldown);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
    }

    [Fact]
    public async Task AHangingIssuerTimesOutInsteadOfHangingTheRequest()
    {
        Issuer.Behaviour = IssuerBehaviour.Hang;
        ResourceServer api = await StartApiAsync(o => o.BackchannelTimeout = TimeSpan.FromMilliseconds(500));

        HttpResponseMessage response = await api.GetAsync("/me", Issuer.Token()).WaitAsync(Bounded);

        await AssertKeysUnavailableAsync(response);
    }

    [Fact]
    public async Task AHangingIssuerDoesNotStopStaleKeysFromWorking()
    {
        // The first fetch must succeed within the timeout, even cold on a busy machine; the hang then waits it out once.
        ResourceServer api = await StartApiAsync(o => (o.KeyCacheDuration, o.BackchannelTimeout) = (TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(3)));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        Issuer.Behaviour = IssuerBehaviour.Hang;
        Time.Advance(TimeSpan.FromMinutes(6));

        HttpResponseMessage response = await api.GetAsync("/me", Issuer.Token()).WaitAsync(Bounded);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://127.0.0.1:1")]
    public async Task DiscoveryNamingAnotherIssuerIsRefused(string otherIssuer)
    {
        Issuer.DiscoveryIssuerOverride = otherIssuer;
        ResourceServer api = await StartApiAsync();

        await AssertKeysUnavailableAsync(await api.GetAsync("/me", Issuer.Token()));
        Assert.Equal(0, Issuer.JwksRequests);
    }

    [Fact]
    public async Task DiscoveryIssuerWithATrailingSlashMatchesTheAuthority()
    {
        Issuer.DiscoveryIssuerOverride = Issuer.Authority + "/";
        ResourceServer api = await StartApiAsync();

        // The discovery document's issuer, exactly as written, is what tokens must carry.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token(d => d.Issuer = Issuer.Authority + "/"))).StatusCode);
        await AssertRefusedAsync(await api.GetAsync("/me", Issuer.Token()), "issuer_invalid");
    }

    [Fact]
    public async Task AJwksPublishingASecretKeyIsRefused()
    {
        Jwk secret = OctetJwk.FromBytes(new byte[32], keyId: "shared");
        Issuer.JwksOverride = JwkSet.Of(secret).ToJson(includePrivate: true);
        ResourceServer api = await StartApiAsync(o =>
        {
            o.AllowedAlgorithms.Clear();
            o.AllowedAlgorithms.Add("HS256");
        });

        await AssertKeysUnavailableAsync(await api.GetAsync("/me", Issuer.Token(key: secret)));
    }

    [Fact]
    public async Task AJwksWithNoUsableKeyIsRefused()
    {
        Issuer.JwksOverride = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"}]}";
        ResourceServer api = await StartApiAsync();

        await AssertKeysUnavailableAsync(await api.GetAsync("/me", Issuer.Token()));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bounded);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
