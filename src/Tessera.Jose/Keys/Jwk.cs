using System.Text.Json;
using Tessera.Jose.Algorithms;

namespace Tessera.Jose.Keys;

/// <summary>
/// A JSON Web Key (RFC 7517) with its key material imported and ready to use. Immutable and safe
/// to share between threads. Each key type is a subclass that answers the low-level questions
/// (does this algorithm fit me? does this signature verify?); policy lives with the callers.
/// </summary>
public abstract class Jwk
{
    private string? _thumbprint;
    private JwkSet? _singleKeySet;

    private protected Jwk(JwkMetadata metadata)
    {
        KeyId = metadata.KeyId;
        Algorithm = metadata.Algorithm;
        Use = metadata.Use;
        KeyOperations = metadata.KeyOperations;
    }

    /// <summary>The key type.</summary>
    public abstract JwkKeyType KeyType { get; }

    /// <summary>The <c>kty</c> member as it is written.</summary>
    public string Kty => KeyType switch
    {
        JwkKeyType.Octet => "oct",
        JwkKeyType.Rsa => "RSA",
        JwkKeyType.EllipticCurve => "EC",
        _ => "OKP",
    };

    /// <summary>The <c>kid</c> member, if the key has one.</summary>
    public string? KeyId { get; }

    /// <summary>The <c>alg</c> member: when present, the only algorithm this key may be used with.</summary>
    public string? Algorithm { get; }

    /// <summary>The <c>use</c> member; a key marked for anything but <c>sig</c> never signs or verifies.</summary>
    public string? Use { get; }

    /// <summary>The <c>key_ops</c> member; when present it must allow the operation.</summary>
    public IReadOnlyList<string>? KeyOperations { get; }

    /// <summary>True when the key can sign (it holds private or secret material).</summary>
    public abstract bool HasPrivateKey { get; }

    /// <summary>The <c>crv</c> member for EC and OKP keys.</summary>
    public virtual string? Curve => null;

    /// <summary>The RFC 7638 SHA-256 thumbprint, base64url.</summary>
    public string Thumbprint => _thumbprint ??= JwkThumbprint.Compute(this);

    /// <summary>The key id to put in a JWS header: the <c>kid</c>, or else the thumbprint.</summary>
    public string EffectiveKeyId => KeyId ?? Thumbprint;

    /// <summary>The algorithm to sign with when the caller names none: the key's <c>alg</c>, or its type's default.</summary>
    public JwsAlgorithm DefaultAlgorithm =>
        Algorithm is not null && JwsAlgorithms.TryGet(Algorithm, out JwsAlgorithm? declared) ? declared : TypeDefaultAlgorithm;

    private protected abstract JwsAlgorithm TypeDefaultAlgorithm { get; }

    /// <summary>The algorithms this key may be used with: its <c>alg</c> if declared, else every algorithm its type and size allow.</summary>
    public IEnumerable<JwsAlgorithm> PermittedAlgorithms => JwsAlgorithms.All.Values.Where(a => Permits(a, JwkOperation.Verify));

    /// <summary>Parses a JWK; the error explains what is wrong. Never throws on bad input.</summary>
    public static bool TryParse(string json, out Jwk? key, out JoseError? error) => JwkReader.TryParse(json, out key, out error);

    /// <summary>Parses a JWK, throwing <see cref="JoseException"/> with the stable code on bad input.</summary>
    public static Jwk Parse(string json) =>
        JwkReader.TryParse(json, out Jwk? key, out JoseError? error) ? key! : throw new JoseException(error!);

    /// <summary>Generates a new private key for <paramref name="algorithm"/>; its <c>kid</c> is the RFC 7638 thumbprint unless given.</summary>
    public static Jwk Generate(string algorithm, string? keyId = null, int rsaKeySizeBits = 2048) =>
        JwkGenerator.Generate(algorithm, keyId, rsaKeySizeBits);

    /// <summary>The same key without private material (an <c>oct</c> key has no public form and throws).</summary>
    public abstract Jwk ToPublicJwk();

    /// <summary>Serializes the key as a JWK; private members only when asked.</summary>
    public string ToJson(bool includePrivate = false, bool indented = false) => JwkWriter.ToJson(this, includePrivate, indented);

    /// <summary>Writes the key as a JSON object.</summary>
    public void WriteTo(Utf8JsonWriter writer, bool includePrivate = false) => JwkWriter.Write(writer, this, includePrivate);

    /// <summary>
    /// Whether this key may be used with <paramref name="algorithm"/> for <paramref name="operation"/>:
    /// the key type, curve and size must fit, and <c>alg</c>, <c>use</c> and <c>key_ops</c> must allow it.
    /// </summary>
    public bool Permits(JwsAlgorithm algorithm, JwkOperation operation)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        if (algorithm.KeyType != KeyType || !FitsMaterial(algorithm))
        {
            return false;
        }

        if (Algorithm is not null && !string.Equals(Algorithm, algorithm.Name, StringComparison.Ordinal))
        {
            return false;
        }

        if (Use is not null && !string.Equals(Use, "sig", StringComparison.Ordinal))
        {
            return false;
        }

        if (operation == JwkOperation.Sign && !HasPrivateKey)
        {
            return false;
        }

        return KeyOperations is null || KeyOperations.Contains(operation == JwkOperation.Sign ? "sign" : "verify");
    }

    /// <summary>Whether the key material itself (type, curve, size) can do <paramref name="algorithm"/>.</summary>
    private protected abstract bool FitsMaterial(JwsAlgorithm algorithm);

    /// <summary>Whether the type and material can do <paramref name="algorithm"/>, whatever the metadata says.</summary>
    internal bool MaterialFits(JwsAlgorithm algorithm) => algorithm.KeyType == KeyType && FitsMaterial(algorithm);

    /// <summary>The primitive: true when <paramref name="signature"/> is valid for <paramref name="input"/>. Never throws on bad signatures.</summary>
    internal abstract bool VerifySignature(JwsAlgorithm algorithm, ReadOnlySpan<byte> input, ReadOnlySpan<byte> signature);

    /// <summary>The exact signature length <paramref name="algorithm"/> produces with this key.</summary>
    internal abstract int GetSignatureSize(JwsAlgorithm algorithm);

    /// <summary>Signs <paramref name="input"/> into <paramref name="destination"/> (exactly <see cref="GetSignatureSize"/> bytes).</summary>
    internal abstract void Sign(JwsAlgorithm algorithm, ReadOnlySpan<byte> input, Span<byte> destination);

    /// <summary>Writes the type-specific members (after <c>kty</c>), in the order RFC 7638 lists them where it applies.</summary>
    internal abstract void WriteKeyMembers(Utf8JsonWriter writer, bool includePrivate);

    /// <summary>Writes the RFC 7638 required members, in lexicographic order, <c>kty</c> included.</summary>
    internal abstract void WriteThumbprintMembers(Utf8JsonWriter writer);

    private protected JwkMetadata Metadata => new(KeyId, Algorithm, Use, KeyOperations);

    /// <summary>
    /// The metadata for this key's public half: <c>key_ops</c> that only a private key can do are
    /// turned into their public counterparts (RFC 7517 §4.3), so a private key limited to
    /// <c>sign</c> yields a public key that may <c>verify</c>.
    /// </summary>
    private protected JwkMetadata PublicMetadata => new(KeyId, Algorithm, Use, PublicOperations(KeyOperations));

    /// <summary>A set of just this key that matches whatever <c>kid</c> a token names: the caller chose the key.</summary>
    internal JwkSet SingleKeySet => _singleKeySet ??= JwkSet.ForSingleKey(this);

    private static string[]? PublicOperations(IReadOnlyList<string>? operations) => operations?
        .Select(op => op switch { "sign" => "verify", "decrypt" => "encrypt", "unwrapKey" => "wrapKey", _ => op })
        .Where(op => op is not ("deriveKey" or "deriveBits"))
        .Distinct(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The key type and the effective key id; never key material.</summary>
    public override string ToString() => $"{Kty} key {EffectiveKeyId}";
}

/// <summary>The operation a key is asked to perform, matched against <c>key_ops</c>.</summary>
public enum JwkOperation
{
    /// <summary>Checking a signature (<c>key_ops</c> value <c>verify</c>).</summary>
    Verify,
    /// <summary>Making a signature (<c>key_ops</c> value <c>sign</c>).</summary>
    Sign,
}

/// <summary>The members every key type shares.</summary>
internal readonly record struct JwkMetadata(string? KeyId, string? Algorithm, string? Use, IReadOnlyList<string>? KeyOperations);
