using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Benchmarks.Contenders;
using Tessera.Jose.Encoding;
using Tessera.Jose.Jwt;

namespace Tessera.Benchmarks;

/// <summary>
/// Every contender for every algorithm, the keys they share, the token they all validate (signed
/// by Tessera, so every validator reads exactly the same bytes), and tokens they must refuse.
/// </summary>
public sealed class ContenderSet : IDisposable
{
    private readonly Dictionary<string, AlgorithmSet> _byAlgorithm = new(StringComparer.Ordinal);

    private ContenderSet(DateTimeOffset now)
    {
        Token = new AccessToken(now);
        foreach (string algorithm in BenchKey.Algorithms)
        {
            _byAlgorithm[algorithm] = new AlgorithmSet(BenchKey.Create(algorithm), Token, now);
        }

        Floor = new Hs256Floor(this["HS256"].Key.Secret!);
    }

    public AccessToken Token { get; }

    public Hs256Floor Floor { get; }

    public AlgorithmSet this[string algorithm] => _byAlgorithm[algorithm];

    public IEnumerable<AlgorithmSet> Algorithms => _byAlgorithm.Values;

    public static ContenderSet Create() => new(DateTimeOffset.UtcNow);

    public void Dispose()
    {
        Floor.Dispose();
        foreach (AlgorithmSet set in _byAlgorithm.Values)
        {
            set.Key.Dispose();
        }
    }

    /// <summary>The contenders of one algorithm; a library that lacks the algorithm is null.</summary>
    public sealed class AlgorithmSet
    {
        internal AlgorithmSet(BenchKey key, AccessToken token, DateTimeOffset now)
        {
            Key = key;
            Tessera = new TesseraContender(key, token);
            Microsoft = MicrosoftContender.Supports(key.Algorithm) ? new MicrosoftContender(key, token) : null;
            JoseJwt = JoseJwtContender.Supports(key.Algorithm) ? new JoseJwtContender(key, token) : null;
            JwtNet = JwtNetContender.Supports(key.Algorithm) ? new JwtNetContender(key, token) : null;

            ValidToken = Tessera.Sign();
            var bad = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["payload tampered (sub changed, signature kept)"] = ReplacePayload(ValidToken, "sub", "mallory"),
                ["signature tampered (one bit flipped)"] = FlipSignatureBit(ValidToken),
                ["expired an hour ago"] = SignVariant(key, token, d =>
                {
                    d.IssuedAt = now.AddHours(-2);
                    d.ExpiresAt = now.AddHours(-1);
                }),
                ["wrong issuer"] = SignVariant(key, token, d => d.Issuer = "https://evil.example"),
                ["wrong audience"] = SignVariant(key, token, d => d.Audiences = ["https://other.example"]),
            };
            BadTokens = bad;
        }

        public BenchKey Key { get; }

        public string Algorithm => Key.Algorithm;

        public TesseraContender Tessera { get; }

        public MicrosoftContender? Microsoft { get; }

        public JoseJwtContender? JoseJwt { get; }

        public JwtNetContender? JwtNet { get; }

        /// <summary>The token every validator of this algorithm is timed on.</summary>
        public string ValidToken { get; }

        /// <summary>Tokens every validator must refuse, by what is wrong with them.</summary>
        public IReadOnlyDictionary<string, string> BadTokens { get; }

        public IEnumerable<Contender> Contenders =>
            new Contender?[] { Tessera, Microsoft, JoseJwt, JwtNet }.OfType<Contender>();
    }

    private static string SignVariant(BenchKey key, AccessToken token, Action<JwtDescriptor> change)
    {
        JwtDescriptor descriptor = TesseraContender.Descriptor(token);
        change(descriptor);
        return JwtSigner.Sign(descriptor, key.TesseraSigning);
    }

    private static string ReplacePayload(string jws, string claim, string value)
    {
        string[] parts = jws.Split('.');
        JsonObject payload = JsonNode.Parse(StrictBase64Url.DecodeOrNull(parts[1])!)!.AsObject();
        payload[claim] = value;
        parts[1] = StrictBase64Url.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString(new JsonSerializerOptions { WriteIndented = false })));
        return string.Join('.', parts);
    }

    private static string FlipSignatureBit(string jws)
    {
        string[] parts = jws.Split('.');
        byte[] signature = StrictBase64Url.DecodeOrNull(parts[2])!;
        signature[signature.Length / 2] ^= 0x01;
        parts[2] = StrictBase64Url.Encode(signature);
        return string.Join('.', parts);
    }
}
