using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Tessera.Dpop;
using Tessera.InMemory;
using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Benchmarks;

/// <summary>
/// What a resource server pays per request for a DPoP-bound token (RFC 9449 §7.1) next to a bearer
/// token, both ES256: the token's signature and claims, then for DPoP the proof's checks (§4.3: parse,
/// its own ES256 signature, htm/htu/iat/ath) and the write of its <c>jti</c> to the replay cache (in
/// memory here; Redis adds a round trip in a cluster), and the key binding (<c>cnf.jkt</c>). The
/// <c>Cached</c> pair takes the token from <see cref="VerifiedTokenCache"/> as the handlers do; the
/// proof is never cached (single use), so that pair shows DPoP's floor. Each request gets a fresh
/// proof (made by the client, outside the measurement: <see cref="IterationSetup"/> signs a batch).
/// Run: <c>dotnet run -c Release --project bench/Tessera.Benchmarks -- --filter *DpopBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[InvocationCount(ProofsPerIteration)]
public class DpopBenchmarks : IVerifiable
{
    private const int ProofsPerIteration = 4096;
    private const string Subject = "bench-user";
    private const string Issuer = "https://auth.example";
    private const string Audience = "orders-api";
    private const string Target = "https://api.example/orders";

    private Jwk _issuerKey = null!;
    private JwkSet _issuerKeys = null!;
    private Jwk _clientKey = null!;
    private JwtValidator _validator = null!;
    private VerifiedTokenCache _cache = null!;
    private DpopProofValidator _proofs = null!;
    private string _bearer = null!;
    private string _bound = null!;
    private string[] _batch = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _issuerKey = Jwk.Generate("ES256", "bench-issuer");
        _issuerKeys = JwkSet.Of(_issuerKey.ToPublicJwk());
        _clientKey = Jwk.Generate("ES256");
        _validator = new JwtValidator(new JwtValidationPolicy
        {
            AllowedAlgorithms = ["ES256"],
            ValidIssuers = [Issuer],
            ValidAudiences = [Audience],
            RequiredType = "at+jwt",
            RequiredClaims = ["exp", "sub"],
        });
        // The token stored at once: the Cached pair measures a token the cache holds.
        _cache = new VerifiedTokenCache { CacheOnFirstValidation = true };
        _proofs = new DpopProofValidator(new TesseraDpopOptions(), new DpopReplayCache(new InMemoryThrottleStore(TimeProvider.System)), nonces: null, TimeProvider.System);
        _bearer = Token(bound: false);
        _bound = Token(bound: true);
        Refill();
        if (Bearer_ES256() != Subject || Dpop_ES256() != Subject || Bearer_ES256_Cached() != Subject || Dpop_ES256_CachedToken() != Subject)
        {
            throw new InvalidOperationException("DpopBenchmarks: a valid request was refused; the comparison would be meaningless.");
        }

        string replayed = _batch[0];
        if (CheckDpop(_bound, replayed, _validator.Validate(_bound, _issuerKeys)) is not null)
        {
            throw new InvalidOperationException("DpopBenchmarks: a replayed proof was accepted.");
        }

        Refill();
    }

    /// <summary>A fresh batch of proofs, one per invocation of the coming iteration (signing is the client's cost, not measured).</summary>
    [IterationSetup]
    public void Refill()
    {
        string ath = DpopProofValidator.AccessTokenHash(_bound);
        long iat = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        byte[] header = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["typ"] = DpopTokenTypes.ProofType,
            ["alg"] = "ES256",
            ["jwk"] = JsonNode.Parse(_clientKey.ToPublicJwk().ToJson()),
        }.ToJsonString());
        _batch = new string[ProofsPerIteration + 8];
        for (int i = 0; i < _batch.Length; i++)
        {
            var claims = new JsonObject { ["jti"] = Guid.NewGuid().ToString("N"), ["htm"] = "GET", ["htu"] = Target, ["iat"] = iat, ["ath"] = ath };
            _batch[i] = JwsSigner.SignWithHeader(header, Encoding.UTF8.GetBytes(claims.ToJsonString()), _clientKey);
        }

        _next = 0;
    }

    /// <summary>A bearer token: signature (ES256), typ, iss, aud, exp.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Verified")]
    public string? Bearer_ES256() => _validator.Validate(_bearer, _issuerKeys).Claims?.Subject;

    /// <summary>A DPoP-bound token: the same, then the proof (a second ES256 verification), its jti recorded, the binding compared.</summary>
    [Benchmark, BenchmarkCategory("Verified")]
    public string? Dpop_ES256() => CheckDpop(_bound, NextProof(), _validator.Validate(_bound, _issuerKeys));

    /// <summary>A bearer token answered by the verified-token cache.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Cached")]
    public string? Bearer_ES256_Cached() => _cache.Validate(_validator, _bearer, _issuerKeys).Claims?.Subject;

    /// <summary>A DPoP-bound token from the cache; the proof checked in full.</summary>
    [Benchmark, BenchmarkCategory("Cached")]
    public string? Dpop_ES256_CachedToken() => CheckDpop(_bound, NextProof(), _cache.Validate(_validator, _bound, _issuerKeys));

    public void CheckResult(string method, string? category, object? result)
    {
        if (!Equals(result, Subject))
        {
            throw new InvalidOperationException($"{method} should accept the request and return {Subject}, returned {result ?? "null"}.");
        }
    }

    private string NextProof() => _batch[_next++ % _batch.Length];

    private string? CheckDpop(string token, string proof, JwtValidation validation)
    {
        if (validation.Claims is not { } claims || !claims.TryGetClaim("cnf", out System.Text.Json.JsonElement cnf)
            || !cnf.TryGetProperty("jkt", out System.Text.Json.JsonElement jkt))
        {
            return null;
        }

        // As the handler: the request's URI is built per request, the proof validated with the token's hash, the key compared.
        ValueTask<Tessera.Outcome<DpopProof>> pending = _proofs.ValidateAsync(new DpopProofRequest(proof, "GET", new Uri(Target), token), CancellationToken.None);
        Tessera.Outcome<DpopProof> outcome = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        return outcome.Succeeded && string.Equals(outcome.Value!.KeyThumbprint, jkt.GetString(), StringComparison.Ordinal) ? claims.Subject : null;
    }

    private string Token(bool bound)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var descriptor = new JwtDescriptor
        {
            Issuer = Issuer,
            Subject = Subject,
            Audiences = [Audience],
            IssuedAt = now,
            ExpiresAt = now.AddHours(12),
            JwtId = Guid.NewGuid().ToString("N"),
            Type = "at+jwt",
            AdditionalClaims = new JsonObject { ["sid"] = "bench-session", ["scope"] = "orders:read" },
        };
        if (bound)
        {
            descriptor.AdditionalClaims["cnf"] = new JsonObject { ["jkt"] = _clientKey.Thumbprint };
        }

        return JwtSigner.Sign(descriptor, _issuerKey);
    }
}
