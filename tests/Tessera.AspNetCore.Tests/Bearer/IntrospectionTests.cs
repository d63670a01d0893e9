using System.Net;
using Tessera.AspNetCore.Authentication.Bearer;

namespace Tessera.AspNetCore.Tests.Bearer;

/// <summary>The optional <c>sid</c> revocation check against the issuer's RFC 7662 introspection endpoint.</summary>
public sealed class IntrospectionTests : BearerTestBase
{
    private static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(30);

    private Task<ResourceServer> StartCheckingApiAsync(string secret = FakeIssuer.IntrospectionClientSecret) => StartApiAsync(o =>
    {
        // Long enough for a cold first fetch on a busy machine; only the hanging test waits it out.
        o.BackchannelTimeout = TimeSpan.FromSeconds(3);
        o.IntrospectionEndpoint = Issuer.Authority + "/oauth2/introspect";
        o.IntrospectionClientId = FakeIssuer.IntrospectionClientId;
        o.IntrospectionClientSecret = secret;
        o.IntrospectionCacheDuration = CacheDuration;
    });

    [Fact]
    public async Task RevokedSessionIsRefusedOnceTheCachedAnswerExpires()
    {
        ResourceServer api = await StartCheckingApiAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);

        Issuer.RevokedSessions["s-1"] = true;
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode); // the cached answer, still fresh
        Assert.Equal(1, Issuer.IntrospectionRequests);
        Time.Advance(CacheDuration);

        await AssertRefusedAsync(await api.GetAsync("/me", Issuer.Token()), TesseraBearerErrorCodes.SessionRevoked);
        await AssertRefusedAsync(await api.GetAsync("/me", Issuer.Token()), TesseraBearerErrorCodes.SessionRevoked);
        Assert.Equal(2, Issuer.IntrospectionRequests); // the refusal is cached too
    }

    [Fact]
    public async Task AnswersAreCachedPerSession()
    {
        ResourceServer api = await StartCheckingApiAsync();
        Issuer.RevokedSessions["s-2"] = true;

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        await AssertRefusedAsync(await api.GetAsync("/me", Issuer.Token(d => d.AdditionalClaims!["sid"] = "s-2")), TesseraBearerErrorCodes.SessionRevoked);

        Assert.Equal(2, Issuer.IntrospectionRequests);
    }

    [Fact]
    public async Task AnInvalidTokenIsRefusedWithoutAskingTheIssuer()
    {
        ResourceServer api = await StartCheckingApiAsync();

        await AssertRefusedAsync(await api.GetAsync("/me", TokenCases.Tamper(Issuer.Token())), "signature_invalid");

        Assert.Equal(0, Issuer.IntrospectionRequests);
    }

    [Fact]
    public async Task IntrospectionThatFailsGives503AndIsNotCached()
    {
        ResourceServer api = await StartCheckingApiAsync(secret: "wrong");

        HttpResponseMessage response = await api.GetAsync("/me", Issuer.Token());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TesseraBearerErrorCodes.IntrospectionUnavailable, await ErrorCodeOf(response));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await api.GetAsync("/me", Issuer.Token())).StatusCode);

        Assert.Equal(2, Issuer.IntrospectionRequests);
    }

    [Fact]
    public async Task AHangingIntrospectionEndpointTimesOutWith503()
    {
        ResourceServer api = await StartCheckingApiAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode); // keys fetched, s-1 known
        Issuer.HoldIntrospection = true;

        HttpResponseMessage response = await api.GetAsync("/me", Issuer.Token(d => d.AdditionalClaims!["sid"] = "s-2")).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TesseraBearerErrorCodes.IntrospectionUnavailable, await ErrorCodeOf(response));
    }
}
