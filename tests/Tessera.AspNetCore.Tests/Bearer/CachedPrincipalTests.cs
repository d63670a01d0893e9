using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.Jose.Jwt;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Tests.Bearer;

/// <summary>
/// The resource-server bearer maps a cached token's claims once (its <c>BearerPrincipalTemplate</c>)
/// but gives every request a principal of its own: what one request's claims transformation or
/// <c>TokenValidated</c> event adds to it never reaches the next request for the same token, and the
/// per-request checks still run.
/// </summary>
public sealed class CachedPrincipalTests : BearerTestBase
{
    private const string AddHeader = "X-Test-Add-Claim";
    private const string AddedType = "added-by-request";

    private readonly VerifiedTokenCache _cache = new() { CacheOnFirstValidation = true };

    [Fact]
    public async Task AClaimAddedByOneRequestsClaimsTransformationIsNotInTheNextRequestsPrincipal()
    {
        ResourceServer api = await StartApiAsync(o => o.TokenCache = _cache, services: s => s.AddHttpContextAccessor().AddTransient<IClaimsTransformation, AddingTransformation>());
        string token = Issuer.Token();
        await AssertNoAddedClaimAsync(api, token); // the miss: mapped, not yet remembered
        await AssertNoAddedClaimAsync(api, token); // the first hit: mapped and remembered

        string[][] adding = await ClaimsAsync(api, token, add: "first");
        Assert.Contains(adding, c => c[0] == AddedType && c[1] == "first");
        // The transformation also changed a claim that came from the token (removed it and added another).
        Assert.DoesNotContain(adding, c => c[0] == "tenant");

        string[][] next = await ClaimsAsync(api, token, add: null);
        Assert.DoesNotContain(next, c => c[0] == AddedType);
        Assert.Contains(next, c => c[0] == "tenant" && c[1] == "acme");
        Assert.Equal(1, _cache.Misses);
    }

    [Fact]
    public async Task AClaimAddedByOneRequestsTokenValidatedEventIsNotInTheNextRequestsPrincipal()
    {
        ResourceServer api = await StartApiAsync(o =>
        {
            o.TokenCache = _cache;
            o.Events = new TesseraBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (context.HttpContext.Request.Headers.TryGetValue(AddHeader, out var value))
                    {
                        ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim(AddedType, value.ToString()));
                    }

                    return Task.CompletedTask;
                },
            };
        });
        string token = Issuer.Token();
        await AssertNoAddedClaimAsync(api, token);
        await AssertNoAddedClaimAsync(api, token);

        Assert.Contains(await ClaimsAsync(api, token, add: "by-event"), c => c[0] == AddedType && c[1] == "by-event");
        await AssertNoAddedClaimAsync(api, token);
        Assert.Equal(1, _cache.Misses);
    }

    [Fact]
    public async Task ACachedTokensPrincipalHasTheSameClaimsAsAFreshlyMappedOne()
    {
        ResourceServer cached = await StartApiAsync(o => o.TokenCache = _cache);
        ResourceServer uncached = await StartApiAsync(o => o.TokenCache = null);
        string token = Issuer.Token();

        string[][] expected = await ClaimsAsync(uncached, token, add: null);
        await ClaimsAsync(cached, token, add: null);
        string[][] fromTemplate = await ClaimsAsync(cached, token, add: null);

        Assert.Equal(Flatten(expected), Flatten(fromTemplate));
        Assert.Contains(fromTemplate, c => c[0] == "scope" && c[1] == "orders:read");
        Assert.Contains(fromTemplate, c => c[0] == ClaimTypes.Role && c[1] == "clerk");
    }

    [Fact]
    public async Task ATokensOwnDpopThumbprintClaimIsDroppedFromTheCachedPrincipalToo()
    {
        ResourceServer api = await StartApiAsync(o => o.TokenCache = _cache);
        string token = Issuer.Token(d => d.AdditionalClaims![TesseraBearerDefaults.DpopKeyThumbprintClaimType] = "forged");

        await ClaimsAsync(api, token, add: null);
        string[][] claims = await ClaimsAsync(api, token, add: null);

        Assert.DoesNotContain(claims, c => c[0] == TesseraBearerDefaults.DpopKeyThumbprintClaimType);
        Assert.Equal(1, _cache.Misses);
    }

    [Fact]
    public async Task TheRevocationCheckStillRunsOnACachedTokenWhosePrincipalIsRemembered()
    {
        var list = new RevokedSessions();
        ResourceServer api = await StartApiAsync(o => (o.TokenCache, o.RevocationList) = (_cache, list));
        string token = Issuer.Token();
        await AssertNoAddedClaimAsync(api, token);
        await AssertNoAddedClaimAsync(api, token);

        list.Revoked["s-1"] = true;

        await AssertRefusedAsync(await api.GetAsync("/claims", token), TesseraBearerErrorCodes.SessionRevoked);
    }

    private static string[] Flatten(string[][] claims) => claims.Select(c => string.Join('|', c)).Order(StringComparer.Ordinal).ToArray();

    private static async Task AssertNoAddedClaimAsync(ResourceServer api, string token) =>
        Assert.DoesNotContain(await ClaimsAsync(api, token, add: null), c => c[0] == AddedType);

    private static async Task<string[][]> ClaimsAsync(ResourceServer api, string token, string? add)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/claims");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (add is not null)
        {
            request.Headers.Add(AddHeader, add);
        }

        using HttpResponseMessage response = await api.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<string[][]>())!;
    }

    /// <summary>Adds a claim to the authenticated identity, and swaps the token's tenant for another, when the request asks.</summary>
    private sealed class AddingTransformation(Microsoft.AspNetCore.Http.IHttpContextAccessor accessor) : IClaimsTransformation
    {
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            var identity = (ClaimsIdentity)principal.Identity!;
            if (accessor.HttpContext?.Request.Headers.TryGetValue(AddHeader, out var value) == true)
            {
                identity.AddClaim(new Claim(AddedType, value.ToString()));
                if (identity.FindFirst("tenant") is { } tenant)
                {
                    identity.RemoveClaim(tenant);
                }
            }

            return Task.FromResult(principal);
        }
    }

    private sealed class RevokedSessions : ISessionRevocationList
    {
        public ConcurrentDictionary<string, bool> Revoked { get; } = new(StringComparer.Ordinal);

        public ValueTask<bool> IsRevokedAsync(string sessionId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Revoked.ContainsKey(sessionId));
    }
}
