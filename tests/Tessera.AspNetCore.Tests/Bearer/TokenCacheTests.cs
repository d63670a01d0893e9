using System.Collections.Concurrent;
using System.Net;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.Jose;
using Tessera.Jose.Jwt;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Tests.Bearer;

/// <summary>
/// <c>AddTesseraBearer</c> with its verified-token cache: the same token sent again skips the
/// signature, and is still refused on the first request after it expires, its key leaves the JWKS,
/// its session is revoked, or one character of it changes. The tests' cache stores a token the first
/// time it is valid, so that each is about what a cached token does; the default, which stores it the
/// second time, is <see cref="TheDefaultCacheStoresATokenOnItsSecondRequest"/>.
/// </summary>
public sealed class TokenCacheTests : BearerTestBase
{
    private readonly VerifiedTokenCache _cache = new() { CacheOnFirstValidation = true };

    [Fact]
    public async Task ASecondRequestWithTheSameTokenDoesNotVerifyItsSignatureAgain()
    {
        ResourceServer api = await StartApiAsync(o => o.TokenCache = _cache);
        string token = Issuer.Token();

        Identity first = await AcceptedAsync(await api.GetAsync("/me", token));
        Identity second = await AcceptedAsync(await api.GetAsync("/me", token));

        Assert.Equal(first.JwtId, second.JwtId);
        Assert.Equal("alice", second.Subject);
        Assert.Equal(["admin", "clerk"], second.Roles);
        Assert.Equal(1, _cache.Misses);
        Assert.Equal(1, _cache.Count);
    }

    [Fact]
    public void TheCacheIsOnByDefault()
    {
        TesseraBearerOptions options = new();

        Assert.NotNull(options.TokenCache);
        Assert.False(options.TokenCache.CacheOnFirstValidation);
    }

    [Fact]
    public async Task TheDefaultCacheStoresATokenOnItsSecondRequest()
    {
        VerifiedTokenCache? cache = null;
        ResourceServer api = await StartApiAsync(o => cache = o.TokenCache);
        string token = Issuer.Token();

        await AcceptedAsync(await api.GetAsync("/me", token));
        Assert.Equal((0, 1L), (cache!.Count, cache.Misses));
        await AcceptedAsync(await api.GetAsync("/me", token));
        Assert.Equal((1, 2L), (cache.Count, cache.Misses));
        Identity third = await AcceptedAsync(await api.GetAsync("/me", token));

        Assert.Equal("alice", third.Subject);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public async Task ACachedTokenIsRefusedOnTheFirstRequestAfterItExpires()
    {
        ResourceServer api = await StartApiAsync(o => (o.TokenCache, o.ClockSkew) = (_cache, TimeSpan.FromSeconds(30)));
        string token = Issuer.Token();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);

        Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(29));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);
        Time.Advance(TimeSpan.FromSeconds(1));

        await AssertRefusedAsync(await api.GetAsync("/me", token), JoseErrorCodes.Expired);
    }

    [Fact]
    public async Task ACachedTokenIsRefusedOnTheFirstRequestAfterTheKeyThatSignedItLeavesTheJwks()
    {
        ResourceServer api = await StartApiAsync(o => (o.TokenCache, o.KeyCacheDuration) = (_cache, TimeSpan.FromMinutes(1)));
        string token = Issuer.Token();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);

        Issuer.Rotate(dropOld: true);
        Time.Advance(TimeSpan.FromMinutes(1));

        await AssertRefusedAsync(await api.GetAsync("/me", token), "key_not_found");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
    }

    [Fact]
    public async Task ACachedTokenStillAnswersFromTheCacheAfterTheJwksIsFetchedAgainWithItsKey()
    {
        ResourceServer api = await StartApiAsync(o => (o.TokenCache, o.KeyCacheDuration) = (_cache, TimeSpan.FromMinutes(1)));
        string token = Issuer.Token();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);

        Issuer.Rotate();
        Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);
        Assert.Equal(2, Issuer.JwksRequests);
        Assert.Equal(1, _cache.Misses);
    }

    [Fact]
    public async Task ACachedTokenIsRefusedOnTheFirstRequestAfterItsSessionIsOnTheRevocationList()
    {
        var list = new RevokedSessions();
        ResourceServer api = await StartApiAsync(o => (o.TokenCache, o.RevocationList) = (_cache, list));
        string token = Issuer.Token();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);

        list.Revoked["s-1"] = true;

        await AssertRefusedAsync(await api.GetAsync("/me", token), TesseraBearerErrorCodes.SessionRevoked);
        Assert.Equal(1, _cache.Misses);
    }

    [Fact]
    public async Task ACachedTokenIsRefusedOnTheFirstRequestAfterIntrospectionSaysItsSessionIsRevoked()
    {
        ResourceServer api = await StartApiAsync(o =>
        {
            o.TokenCache = _cache;
            o.IntrospectionEndpoint = Issuer.Authority + "/oauth2/introspect";
            o.IntrospectionClientId = FakeIssuer.IntrospectionClientId;
            o.IntrospectionClientSecret = FakeIssuer.IntrospectionClientSecret;
            o.IntrospectionCacheDuration = TimeSpan.Zero;
        });
        string token = Issuer.Token();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);

        Issuer.RevokedSessions["s-1"] = true;

        await AssertRefusedAsync(await api.GetAsync("/me", token), TesseraBearerErrorCodes.SessionRevoked);
    }

    [Fact]
    public async Task ATamperedTokenIsRefusedEvenThoughTheGenuineOneIsCached()
    {
        ResourceServer api = await StartApiAsync(o => o.TokenCache = _cache);
        string token = Issuer.Token();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);
        string tampered = token[..^3] + (token[^3] == 'A' ? 'B' : 'A') + token[^2..];

        await AssertRefusedAsync(await api.GetAsync("/me", tampered), JoseErrorCodes.SignatureInvalid);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);
        Assert.Equal(2, _cache.Misses);
    }

    [Fact]
    public async Task WithTheCacheOffEveryRequestVerifiesTheToken()
    {
        ResourceServer api = await StartApiAsync(o => o.TokenCache = null);
        string token = Issuer.Token();

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", token)).StatusCode);
        await AssertRefusedAsync(await api.GetAsync("/me", token[..^2] + "AA"), JoseErrorCodes.SignatureInvalid);
    }

    private sealed class RevokedSessions : ISessionRevocationList
    {
        public ConcurrentDictionary<string, bool> Revoked { get; } = new(StringComparer.Ordinal);

        public ValueTask<bool> IsRevokedAsync(string sessionId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Revoked.ContainsKey(sessionId));
    }
}
