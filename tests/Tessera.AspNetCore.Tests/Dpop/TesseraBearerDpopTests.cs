using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.AspNetCore.Tests.Bearer;
using Tessera.Dpop;
using Tessera.Jose.Jwt;

namespace Tessera.AspNetCore.Tests.Dpop;

/// <summary>
/// <c>AddTesseraBearer</c> with DPoP-bound tokens (RFC 9449 §7), against the in-test issuer's JWKS
/// over real HTTP, as the bearer tests do: every refusal is a 401 with the challenge RFC 9449 §7.1
/// and §7.2 describe, never a 500. Every test runs twice: behind the framework's <c>UseAuthentication()</c>
/// (here) and behind <c>UseTesseraAuthentication()</c>, which answers without a handler per request
/// (<see cref="TesseraBearerDpopFastPathTests"/>): the answers must not differ.
/// </summary>
public class TesseraBearerDpopTests : BearerTestBase, IAsyncLifetime
{
    private const string DefaultAlgs = "algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 EdDSA Ed25519\"";

    private readonly List<DpopResourceServer> _apis = [];

    private DpopClient Client => _client ??= new DpopClient(Time);

    private DpopClient? _client;

    public new async Task DisposeAsync()
    {
        foreach (DpopResourceServer api in _apis)
        {
            await api.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    private async Task<DpopResourceServer> StartAsync(Action<TesseraBearerOptions>? more = null, bool behindProxy = false, string? pathBase = null)
    {
        DpopResourceServer api = await DpopResourceServer.StartAsync(o =>
        {
            o.Authority = Issuer.Authority;
            o.Audience = FakeIssuer.Audience;
            o.RequireHttps = false;
            o.TimeProvider = Time;
            more?.Invoke(o);
        }, behindProxy, pathBase, TesseraAuthentication);
        _apis.Add(api);
        return api;
    }

    /// <summary>An access token bound to <paramref name="thumbprint"/> (RFC 9449 §6.1: <c>cnf.jkt</c>), as a DPoP token endpoint issues it.</summary>
    private string BoundToken(string thumbprint, Action<JwtDescriptor>? change = null) =>
        Issuer.Token(d =>
        {
            d.AdditionalClaims!["cnf"] = new JsonObject { ["jkt"] = thumbprint };
            change?.Invoke(d);
        });

    private static async Task<Dictionary<string, string>> SeenAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()} {Challenge(response)}");
        return (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!;
    }

    /// <summary>A 401 whose DPoP challenge carries <paramref name="error"/> and the algorithms, and whose problem carries <paramref name="code"/>.</summary>
    private static async Task AssertDpopRefusedAsync(HttpResponseMessage response, string error, string? code = null)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        string dpop = response.Headers.WwwAuthenticate.Single(h => h.Scheme == "DPoP").ToString();
        Assert.StartsWith($"DPoP error=\"{error}\", error_description=\"", dpop, StringComparison.Ordinal);
        Assert.EndsWith(DefaultAlgs, dpop, StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single(h => h.Scheme == "Bearer").ToString()); // the other scheme, bare (§7.2)
        Assert.Equal(code ?? error, await ErrorCodeOf(response));
    }

    [Fact]
    public async Task ABoundTokenWithAProofByItsKeyIsAcceptedAndMarkedAsDpop()
    {
        DpopResourceServer api = await StartAsync();
        string token = BoundToken(Client.Thumbprint);

        Dictionary<string, string> seen = await SeenAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, Client.Proof("GET", "http://localhost/me", token)));

        Assert.Equal("alice", seen["sub"]);
        Assert.Equal(Client.Thumbprint, seen["dpop_jkt"]);
        Assert.Equal(Client.Thumbprint, seen["feature_jkt"]);
    }

    [Fact]
    public async Task TheDpopSchemeNameIsCaseInsensitiveAndAProofForAPostWorksToo()
    {
        DpopResourceServer api = await StartAsync();
        string token = BoundToken(Client.Thumbprint);

        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, "/orders?x=1", "dpop", token, Client.Proof("POST", "http://localhost/orders", token))).StatusCode);
    }

    [Fact]
    public async Task ABoundTokenSentAsABearerTokenIsRefused()
    {
        DpopResourceServer api = await StartAsync();
        string token = BoundToken(Client.Thumbprint);

        // RFC 9449 §7.2: no downgrade, even with a valid proof beside it.
        HttpResponseMessage response = await api.SendAsync(HttpMethod.Get, "/me", "Bearer", token, Client.Proof("GET", "http://localhost/me", token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"The access token is DPoP-bound", response.Headers.WwwAuthenticate.Single(h => h.Scheme == "Bearer").ToString(), StringComparison.Ordinal);
        Assert.Equal("DPoP " + DefaultAlgs, response.Headers.WwwAuthenticate.Single(h => h.Scheme == "DPoP").ToString());
        Assert.Equal("invalid_token", await ErrorCodeOf(response));
    }

    [Fact]
    public async Task TheBindingReadOnceForACachedTokenHoldsOnEveryLaterRequest()
    {
        // The token cache hands back the same claims for the same token, and the binding read from them is
        // remembered: later requests must be refused or accepted exactly as the first one was.
        DpopResourceServer api = await StartAsync();
        string bound = BoundToken(Client.Thumbprint);
        string otherwise = Issuer.Token(d => d.AdditionalClaims!["cnf"] = new JsonObject { ["x5t#S256"] = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2" });
        string unbound = Issuer.Token();

        // Four rounds: the default cache stores a token on its second valid request, so rounds 3 and 4 are answered from it.
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/me", "DPoP", bound, Client.Proof("GET", "http://localhost/me", bound))).StatusCode);
            HttpResponseMessage asBearer = await api.SendAsync(HttpMethod.Get, "/me", "Bearer", bound);
            Assert.Equal(HttpStatusCode.Unauthorized, asBearer.StatusCode);
            Assert.Contains("is DPoP-bound", asBearer.Headers.WwwAuthenticate.Single(h => h.Scheme == "Bearer").ToString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Get, "/me", "Bearer", otherwise)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/me", "Bearer", unbound)).StatusCode);
            await AssertDpopRefusedAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", unbound, Client.Proof("GET", "http://localhost/me", unbound)), "invalid_token");
        }
    }

    [Fact]
    public async Task AnUnboundTokenSentUnderTheDpopSchemeIsRefused()
    {
        DpopResourceServer api = await StartAsync();
        string token = Issuer.Token();

        HttpResponseMessage response = await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, Client.Proof("GET", "http://localhost/me", token));

        await AssertDpopRefusedAsync(response, "invalid_token");
        Assert.Contains("is not DPoP-bound", response.Headers.WwwAuthenticate.Single(h => h.Scheme == "DPoP").ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/me", "Bearer", token)).StatusCode);
    }

    [Fact]
    public async Task ATokenBoundByAnotherConfirmationMethodIsRefusedAsABearerToken()
    {
        DpopResourceServer api = await StartAsync();
        string token = Issuer.Token(d => d.AdditionalClaims!["cnf"] = new JsonObject { ["x5t#S256"] = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2" });

        HttpResponseMessage response = await api.SendAsync(HttpMethod.Get, "/me", "Bearer", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("cnf", response.Headers.WwwAuthenticate.Single(h => h.Scheme == "Bearer").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDpopSchemeWithoutAProofIsRefused()
    {
        DpopResourceServer api = await StartAsync();

        await AssertDpopRefusedAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", BoundToken(Client.Thumbprint)), DpopErrorCodes.InvalidProof);
    }

    [Fact]
    public async Task TwoProofsAreRefused()
    {
        DpopResourceServer api = await StartAsync();
        string token = BoundToken(Client.Thumbprint);

        await AssertDpopRefusedAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, Client.Proof("GET", "http://localhost/me", token), Client.Proof("GET", "http://localhost/me", token)), DpopErrorCodes.InvalidProof);
    }

    [Fact]
    public async Task AProofIsAcceptedOnceThenRefusedAsAReplay()
    {
        DpopResourceServer api = await StartAsync();
        string token = BoundToken(Client.Thumbprint);
        string proof = Client.Proof("GET", "http://localhost/me", token);

        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, proof)).StatusCode);

        await AssertDpopRefusedAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, proof), DpopErrorCodes.InvalidProof);
    }

    [Fact]
    public async Task AProofByAnotherKeyIsRefusedAsAnInvalidKeyBinding()
    {
        DpopResourceServer api = await StartAsync();
        string token = BoundToken(Client.Thumbprint);
        var thief = new DpopClient(Time);

        HttpResponseMessage response = await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, thief.Proof("GET", "http://localhost/me", token));

        await AssertDpopRefusedAsync(response, "invalid_token");
        Assert.Contains("Invalid DPoP key binding", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALoneSurrogateEscapeInAProofIsAnInvalidProofNotAServerError()
    {
        // JSON allows the escape "\ud800" but it is no text (RFC 7493 §2.1); .NET's reader throws when
        // such a string is read. The header is read before any signature check, the claims are the sender's.
        DpopResourceServer api = await StartAsync();
        string token = BoundToken(Client.Thumbprint);
        string header = "{\"typ\":\"dpop+jwt\",\"alg\":\"\\ud800\",\"jwk\":" + Client.Key.ToPublicJwk().ToJson() + "}";
        string unsigned = Jose.Encoding.StrictBase64Url.Encode(System.Text.Encoding.UTF8.GetBytes(header)) + ".e30.AAAA";
        string signed = Client.Proof("GET", "http://localhost/me", token, editClaimsText: json => json.Replace("\"jti\":\"", "\"jti\":\"\\ud800", StringComparison.Ordinal));

        await AssertDpopRefusedAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, unsigned), DpopErrorCodes.InvalidProof);
        await AssertDpopRefusedAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, signed), DpopErrorCodes.InvalidProof);
    }

    [Theory]
    [InlineData("POST", "http://localhost/me")] // htm
    [InlineData("GET", "http://localhost/orders")] // htu path
    [InlineData("GET", "https://localhost/me")] // htu scheme
    [InlineData("GET", "http://elsewhere.example/me")] // htu host
    public async Task AProofForAnotherMethodOrUriIsRefused(string htm, string htu)
    {
        DpopResourceServer api = await StartAsync();
        string token = BoundToken(Client.Thumbprint);

        await AssertDpopRefusedAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, Client.Proof(htm, htu, token)), DpopErrorCodes.InvalidProof);
    }

    [Fact]
    public async Task AProofWithoutAthOrWithTheHashOfAnotherTokenIsRefused()
    {
        DpopResourceServer api = await StartAsync();
        string token = BoundToken(Client.Thumbprint);
        string other = BoundToken(Client.Thumbprint);

        await AssertDpopRefusedAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, Client.Proof("GET", "http://localhost/me")), DpopErrorCodes.InvalidProof);
        await AssertDpopRefusedAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, Client.Proof("GET", "http://localhost/me", other)), DpopErrorCodes.InvalidProof);
    }

    [Fact]
    public async Task AProofOlderThanMaxAgeIsRefused()
    {
        DpopResourceServer api = await StartAsync(o => o.Dpop.MaxAge = TimeSpan.FromSeconds(30));
        string token = BoundToken(Client.Thumbprint);

        string old = Client.Proof("GET", "http://localhost/me", token, change: c => c["iat"] = Time.GetUtcNow().AddSeconds(-31).ToUnixTimeSeconds());
        string recent = Client.Proof("GET", "http://localhost/me", token, change: c => c["iat"] = Time.GetUtcNow().AddSeconds(-29).ToUnixTimeSeconds());

        await AssertDpopRefusedAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, old), DpopErrorCodes.InvalidProof);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, recent)).StatusCode);
    }

    [Fact]
    public async Task AlgorithmsOutsideTheProofAllowListAreRefusedAndTheChallengeNamesTheList()
    {
        var edwards = new DpopClient(Time, "EdDSA");
        DpopResourceServer api = await StartAsync(o =>
        {
            o.Dpop.AllowedAlgorithms.Clear();
            o.Dpop.AllowedAlgorithms.Add("ES256");
        });
        string token = BoundToken(edwards.Thumbprint);

        HttpResponseMessage response = await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, edwards.Proof("GET", "http://localhost/me", token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.EndsWith("algs=\"ES256\"", response.Headers.WwwAuthenticate.Single(h => h.Scheme == "DPoP").ToString(), StringComparison.Ordinal);
        Assert.Equal(DpopErrorCodes.InvalidProof, await ErrorCodeOf(response));
    }

    [Fact]
    public async Task WithoutACredentialBothSchemesAreOfferedWithoutAnError()
    {
        DpopResourceServer api = await StartAsync();

        HttpResponseMessage response = await api.SendAsync(HttpMethod.Get, "/me", null, null);

        // RFC 9449 §7.2 Figure 17.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["Bearer", "DPoP " + DefaultAlgs], response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        Assert.Contains("WWW-Authenticate", response.Headers.GetValues("Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task RequiringDpopRefusesPlainBearerTokensAndOffersOnlyDpop()
    {
        DpopResourceServer api = await StartAsync(o => o.Dpop.Require = true);
        string token = BoundToken(Client.Thumbprint);

        HttpResponseMessage bearer = await api.SendAsync(HttpMethod.Get, "/me", "Bearer", Issuer.Token());
        HttpResponseMessage none = await api.SendAsync(HttpMethod.Get, "/me", null, null);

        Assert.Equal(HttpStatusCode.Unauthorized, bearer.StatusCode);
        Assert.StartsWith("DPoP error=\"invalid_token\", error_description=\"This resource accepts only DPoP-bound", Assert.Single(bearer.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);
        Assert.Equal("DPoP " + DefaultAlgs, Assert.Single(none.Headers.WwwAuthenticate).ToString());
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, Client.Proof("GET", "http://localhost/me", token))).StatusCode);
    }

    [Fact]
    public async Task WithDpopTurnedOffTheSchemeIsNotReadButABoundTokenIsStillNoBearerToken()
    {
        DpopResourceServer api = await StartAsync(o => o.Dpop.Accept = false);
        string token = BoundToken(Client.Thumbprint);

        HttpResponseMessage dpop = await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, Client.Proof("GET", "http://localhost/me", token));
        HttpResponseMessage bearer = await api.SendAsync(HttpMethod.Get, "/me", "Bearer", token);

        Assert.Equal(HttpStatusCode.Unauthorized, dpop.StatusCode);
        Assert.Equal("Bearer", Assert.Single(dpop.Headers.WwwAuthenticate).ToString()); // not a credential of this resource
        Assert.Equal(HttpStatusCode.Unauthorized, bearer.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\"", Assert.Single(bearer.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequiredNoncesAreAskedForWithUseDpopNonceThenAccepted()
    {
        DpopResourceServer api = await StartAsync(o => o.Dpop.RequireNonce = true);
        string token = BoundToken(Client.Thumbprint);

        HttpResponseMessage first = await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, Client.Proof("GET", "http://localhost/me", token));

        await AssertDpopRefusedAsync(first, DpopErrorCodes.UseNonce);
        string nonce = first.Headers.GetValues("DPoP-Nonce").Single();
        Assert.Contains("DPoP-Nonce", first.Headers.GetValues("Access-Control-Expose-Headers"));
        HttpResponseMessage forged = await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, Client.Proof("GET", "http://localhost/me", token, nonce: nonce[..^2] + "AA"));
        await AssertDpopRefusedAsync(forged, DpopErrorCodes.UseNonce);
        await SeenAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, Client.Proof("GET", "http://localhost/me", token, nonce: nonce)));
    }

    [Fact]
    public async Task TheNonceSourceCanBeConfigured()
    {
        var nonces = new FixedNonces("n-0S6_WzA2Mj");
        DpopResourceServer api = await StartAsync(o => (o.Dpop.RequireNonce, o.Dpop.Nonces) = (true, nonces));
        string token = BoundToken(Client.Thumbprint);

        HttpResponseMessage first = await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, Client.Proof("GET", "http://localhost/me", token));

        Assert.Equal("n-0S6_WzA2Mj", first.Headers.GetValues("DPoP-Nonce").Single());
        await SeenAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, Client.Proof("GET", "http://localhost/me", token, nonce: "n-0S6_WzA2Mj")));
    }

    [Fact]
    public async Task TheRequireDpopPolicyAdmitsOnlyDpopBoundRequests()
    {
        DpopResourceServer api = await StartAsync();
        string bound = BoundToken(Client.Thumbprint);
        // A token claiming the marker itself must not pass for a DPoP request.
        string forged = Issuer.Token(d => d.AdditionalClaims![TesseraBearerDefaults.DpopKeyThumbprintClaimType] = Client.Thumbprint);

        HttpResponseMessage bearer = await api.SendAsync(HttpMethod.Get, "/dpop-only", "Bearer", forged);

        Assert.Equal(HttpStatusCode.Forbidden, bearer.StatusCode);
        Assert.StartsWith("DPoP error=\"invalid_token\"", Assert.Single(bearer.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);
        Assert.Equal(TesseraErrorCodes.DpopRequired, await ErrorCodeOf(bearer));
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/me", "Bearer", forged)).StatusCode);
        await SeenAsync(await api.SendAsync(HttpMethod.Get, "/dpop-only", "DPoP", bound, Client.Proof("GET", "http://localhost/dpop-only", bound)));
    }

    [Fact]
    public async Task ACachedBoundTokenStillNeedsAFreshProofOnEveryRequest()
    {
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        DpopResourceServer api = await StartAsync(o => o.TokenCache = cache);
        string token = BoundToken(Client.Thumbprint);
        string proof = Client.Proof("GET", "http://localhost/me", token);

        await SeenAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, proof));
        Assert.Equal((1, 1L), (cache.Count, cache.Misses));

        // The token's verification now comes from the cache; the proof is checked anyway.
        await AssertDpopRefusedAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, proof), DpopErrorCodes.InvalidProof);
        await AssertDpopRefusedAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token), DpopErrorCodes.InvalidProof);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Get, "/me", "Bearer", token)).StatusCode);
        await SeenAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, Client.Proof("GET", "http://localhost/me", token)));
        Assert.Equal(1L, cache.Misses); // every later request was a cache hit
    }

    [Fact]
    public async Task TheReplayCacheIsTheRegisteredOneSoInstancesSharingItRefuseEachOthersProofs()
    {
        // Two resource servers sharing one replay cache (as two instances share Redis): a proof used at one is refused at the other.
        var shared = new DpopReplayCache(new Tessera.InMemory.InMemoryThrottleStore(Time));
        DpopResourceServer one = await StartAsync(o => o.Dpop.ReplayCache = shared);
        DpopResourceServer two = await StartAsync(o => o.Dpop.ReplayCache = shared);
        string token = BoundToken(Client.Thumbprint);
        string proof = Client.Proof("GET", "http://localhost/me", token);

        await SeenAsync(await one.SendAsync(HttpMethod.Get, "/me", "DPoP", token, proof));

        await AssertDpopRefusedAsync(await two.SendAsync(HttpMethod.Get, "/me", "DPoP", token, proof), DpopErrorCodes.InvalidProof);
    }

    [Fact]
    public async Task AResourceServerWithoutOtherTesseraServicesGetsAnInMemoryReplayCache()
    {
        DpopResourceServer api = await StartAsync();

        Assert.IsType<Tessera.InMemory.InMemoryThrottleStore>(api.Services.GetRequiredService<Tessera.Throttling.IThrottleStore>());
        Assert.NotNull(api.Services.GetRequiredService<DpopReplayCache>());
    }

    [Fact]
    public async Task BehindAProxyTheProofNamesThePublicUriWithItsPathBase()
    {
        // The proxy forwards https://api.example/api/me as http://localhost/me with X-Forwarded-Proto,
        // -Host and -Prefix: the app rebuilds the public URI, and the proof must name that one.
        DpopResourceServer api = await StartAsync(behindProxy: true);
        string token = BoundToken(Client.Thumbprint);

        Task<HttpResponseMessage> Forwarded(string proof)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/me");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("DPoP", token);
            request.Headers.Add("DPoP", proof);
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", "api.example");
            request.Headers.Add("X-Forwarded-Prefix", "/api");
            return api.Client.SendAsync(request);
        }

        await AssertDpopRefusedAsync(await Forwarded(Client.Proof("GET", "http://localhost/me", token)), DpopErrorCodes.InvalidProof);
        await AssertDpopRefusedAsync(await Forwarded(Client.Proof("GET", "https://api.example/me", token)), DpopErrorCodes.InvalidProof);
        Dictionary<string, string> seen = await SeenAsync(await Forwarded(Client.Proof("GET", "https://api.example/api/me", token)));
        Assert.Equal("/api", seen["path_base"]);
    }

    [Fact]
    public async Task WithUsePathBaseTheProofNamesThePathBase()
    {
        DpopResourceServer api = await StartAsync(pathBase: "/api");
        string token = BoundToken(Client.Thumbprint);

        await AssertDpopRefusedAsync(await api.SendAsync(HttpMethod.Get, "/api/me", "DPoP", token, Client.Proof("GET", "http://localhost/me", token)), DpopErrorCodes.InvalidProof);
        await SeenAsync(await api.SendAsync(HttpMethod.Get, "/api/me", "DPoP", token, Client.Proof("GET", "http://localhost/api/me", token)));
    }

    [Fact]
    public async Task AMalformedDpopAuthorizationOrProofIsA401NotA500()
    {
        DpopResourceServer api = await StartAsync();
        string token = BoundToken(Client.Thumbprint);

        var empty = new HttpRequestMessage(HttpMethod.Get, "/me");
        empty.Headers.TryAddWithoutValidation("Authorization", "DPoP ");
        HttpResponseMessage emptyToken = await api.Client.SendAsync(empty);

        Assert.Equal(HttpStatusCode.Unauthorized, emptyToken.StatusCode);
        Assert.StartsWith("DPoP error=\"invalid_token\"", emptyToken.Headers.WwwAuthenticate.Single(h => h.Scheme == "DPoP").ToString(), StringComparison.Ordinal);
        foreach (string proof in new[] { "x", "a.b.c", "....", new string('e', 9000), Client.Proof("GET", "http://localhost/me", token, type: "JWT") })
        {
            await AssertDpopRefusedAsync(await api.SendAsync(HttpMethod.Get, "/me", "DPoP", token, proof), DpopErrorCodes.InvalidProof);
        }
    }

    private sealed class FixedNonces(string nonce) : IDpopNonces
    {
        public string Current() => nonce;

        public bool IsValid(string candidate) => candidate == nonce;
    }
}

/// <summary>The same tests behind <c>UseTesseraAuthentication()</c>: a bound token's proof checked without a handler per request.</summary>
public sealed class TesseraBearerDpopFastPathTests : TesseraBearerDpopTests
{
    protected override bool TesseraAuthentication => true;
}
