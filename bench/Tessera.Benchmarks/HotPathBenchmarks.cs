using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Tessera.Benchmarks.Contenders;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Encoding;
using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Benchmarks;

/// <summary>
/// The pieces of Tessera's HS256 validation, one at a time, on the benchmark's token: for finding
/// where the time goes (not part of the comparison). Run with
/// <c>--filter *HotPathBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks : IVerifiable, IDisposable
{
    private ContenderSet _set = null!;
    private string _token = null!;
    private byte[] _utf8 = null!;
    private byte[] _header = null!;
    private byte[] _payload = null!;
    private int _firstDot, _secondDot;
    private OctetJwk _key = null!;
    private JwkSet _keys = null!;
    private JwtValidator _validator = null!;
    private JwtPolicyRules _rules = null!;
    private IncrementalHash _hmac = null!;
    private byte[] _signature = null!;
    private HmacPool _pool = null!;
    private string[] _coldTokens = null!;
    private JwkSet _coldKeys = null!;
    private int _coldNext;

    [GlobalSetup]
    public void Setup()
    {
        _set = ContenderSet.Create();
        ContenderSet.AlgorithmSet hs = _set["HS256"];
        _token = hs.ValidToken;
        _utf8 = System.Text.Encoding.ASCII.GetBytes(_token);
        _firstDot = _token.IndexOf('.', StringComparison.Ordinal);
        _secondDot = _token.LastIndexOf('.');
        _header = StrictBase64Url.DecodeOrNull(_token.AsSpan(0, _firstDot))!;
        _payload = StrictBase64Url.DecodeOrNull(_token.AsSpan(_firstDot + 1, _secondDot - _firstDot - 1))!;
        _key = (OctetJwk)hs.Key.TesseraVerifying;
        _keys = JwkSet.Of(_key);
        JwtValidationPolicy policy = TesseraContender.Policy("HS256");
        _validator = new JwtValidator(policy);
        _rules = new JwtPolicyRules(policy);
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, hs.Key.Secret!);
        _signature = StrictBase64Url.DecodeOrNull(_token.AsSpan(_secondDot + 1))!;
        _pool = new HmacPool(HashAlgorithmName.SHA256, hs.Key.Secret!);
        OctetJwk[] coldKeys = Enumerable.Range(0, 9)
            .Select(i => OctetJwk.FromBytes(RandomNumberGenerator.GetBytes(32), $"bench-hs256-{i}", "HS256")).ToArray();
        _coldKeys = new JwkSet(coldKeys);
        _coldTokens = coldKeys.Select(k => JwtSigner.Sign(TesseraContender.Descriptor(_set.Token), k)).ToArray();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _hmac?.Dispose();
        _set?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The whole validation, as in the comparison.</summary>
    [Benchmark(Baseline = true)]
    public string? Validate() => _validator.Validate(_token, _keys).Claims?.Subject;

    /// <summary>
    /// The whole validation when the header has not been seen: nine tokens with nine different
    /// kids (all in one key set) taken in turn, so the validator's header cache (8 entries) never
    /// hits; each miss also adds an entry, as it would.
    /// </summary>
    [Benchmark]
    public string? ValidateColdHeader()
    {
        int next = _coldNext;
        _coldNext = next == _coldTokens.Length - 1 ? 0 : next + 1;
        return _validator.Validate(_coldTokens[next], _coldKeys).Claims?.Subject;
    }

    /// <summary>Characters to bytes, with the compact-alphabet check.</summary>
    [Benchmark]
    public int Narrow()
    {
        Span<byte> buffer = stackalloc byte[1024];
        return JwsCompactCore.CheckAndNarrow(_token, 16 * 1024, buffer) is null ? buffer[0] : -1;
    }

    /// <summary>The JWS part: shape, header, algorithm policy, key, signature.</summary>
    [Benchmark]
    public int JwsVerify() =>
        JwsCompactCore.Verify(_utf8, _keys, _rules.Jws, out VerifiedJws verified) is null ? verified.EncodedPayload.Length : -1;

    [Benchmark]
    public int DecodeHeader()
    {
        Span<byte> buffer = stackalloc byte[128];
        return StrictBase64Url.TryDecode(_utf8.AsSpan(0, _firstDot), buffer, out int written) ? written : -1;
    }

    [Benchmark]
    public int ReadHeader()
    {
        Span<char> alg = stackalloc char[JwsHeaderReader.MaxAlgorithmLength];
        Span<char> kid = stackalloc char[JwsHeaderReader.MaxKeyIdLength];
        Span<char> typ = stackalloc char[JwsHeaderReader.MaxTypeLength];
        return JwsHeaderReader.TryRead(_header, alg, kid, typ, out JwsHeaderFacts facts) is null ? facts.KeyId.Length : -1;
    }

    [Benchmark]
    public bool HmacVerify() => _key.VerifySignature(JwsAlgorithms.HS256, _utf8.AsSpan(0, _secondDot), _signature);

    /// <summary>The keyed-HMAC pool alone (rent, MAC, return).</summary>
    [Benchmark]
    public int HmacPool()
    {
        Span<byte> mac = stackalloc byte[32];
        return _pool.Compute(_utf8.AsSpan(0, _secondDot), mac);
    }

    [Benchmark]
    public bool HmacPoolCompare()
    {
        Span<byte> mac = stackalloc byte[64];
        int written = _pool.Compute(_utf8.AsSpan(0, _secondDot), mac);
        return written == _signature.Length && CryptographicOperations.FixedTimeEquals(mac[..written], _signature);
    }

    [Benchmark]
    public bool HmacPoolCompare32()
    {
        Span<byte> mac = stackalloc byte[32];
        int written = _pool.Compute(_utf8.AsSpan(0, _secondDot), mac);
        return written == _signature.Length && CryptographicOperations.FixedTimeEquals(mac[..written], _signature);
    }

    /// <summary>The same HMAC with one IncrementalHash, as the floor does it.</summary>
    [Benchmark]
    public int HmacRaw()
    {
        Span<byte> mac = stackalloc byte[32];
        _hmac.AppendData(_utf8.AsSpan(0, _secondDot));
        return _hmac.GetHashAndReset(mac);
    }

    [Benchmark]
    public bool PayloadIsCanonical() => StrictBase64Url.IsCanonical(_utf8.AsSpan(_firstDot + 1, _secondDot - _firstDot - 1));

    [Benchmark]
    public int DecodePayload()
    {
        Span<byte> buffer = stackalloc byte[512];
        return StrictBase64Url.TryDecode(_utf8.AsSpan(_firstDot + 1, _secondDot - _firstDot - 1), buffer, out int written) ? written : -1;
    }

    [Benchmark]
    public long? ReadClaims() =>
        JwtClaimsReader.TryRead(_payload, _rules, out JwtRegisteredClaims claims, out _) is null ? claims.ExpiresAt : -1;

    /// <summary>Utf8JsonReader alone over the payload: every token read, nothing done with them.</summary>
    [Benchmark]
    public int JsonReadOnly()
    {
        var reader = new System.Text.Json.Utf8JsonReader(_payload);
        int tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark]
    public long Floor() => _set.Floor.Validate(_token);

    public void CheckResult(string method, string? category, object? result)
    {
        bool ok = result switch
        {
            string subject => subject == AccessToken.Subject,
            bool b => b,
            int i => i > 0,
            long l => l > 0,
            _ => false,
        };
        if (!ok)
        {
            throw new InvalidOperationException($"{method} returned '{result}'");
        }
    }
}
