using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Encoding;

namespace Tessera.Jose.Keys;

/// <summary>A shared secret (<c>kty: oct</c>) for HS256/384/512.</summary>
public sealed class OctetJwk : Jwk
{
    private readonly byte[] _key;
    private readonly HmacPool?[] _pools = new HmacPool?[3];

    internal OctetJwk(byte[] key, JwkMetadata metadata)
        : base(metadata) => _key = key;

    /// <summary>Creates a secret key from raw bytes (copied).</summary>
    public static OctetJwk FromBytes(ReadOnlySpan<byte> key, string? keyId = null, string? algorithm = null) =>
        new(key.ToArray(), new JwkMetadata(keyId, algorithm, null, null));

    /// <inheritdoc />
    public override JwkKeyType KeyType => JwkKeyType.Octet;

    /// <inheritdoc />
    public override bool HasPrivateKey => true;

    /// <summary>The secret's length in bytes.</summary>
    public int KeySize => _key.Length;

    private protected override JwsAlgorithm TypeDefaultAlgorithm => JwsAlgorithms.HS256;

    /// <summary>Always throws <see cref="InvalidOperationException"/>: a symmetric (<c>oct</c>) key has no public form and must never be published.</summary>
    public override Jwk ToPublicJwk() =>
        throw new InvalidOperationException("A symmetric (oct) key has no public form; never publish it.");

    // RFC 7518 §3.2: the key must be at least as long as the hash output.
    private protected override bool FitsMaterial(JwsAlgorithm algorithm) => _key.Length >= algorithm.HashSize;

    internal override int GetSignatureSize(JwsAlgorithm algorithm) => algorithm.HashSize;

    // The MAC length is public; its bytes are compared in constant time (HmacPool.Verify).
    internal override bool VerifySignature(JwsAlgorithm algorithm, ReadOnlySpan<byte> input, ReadOnlySpan<byte> signature) =>
        PoolFor(algorithm).Verify(input, signature);

    internal override void Sign(JwsAlgorithm algorithm, ReadOnlySpan<byte> input, Span<byte> destination) =>
        PoolFor(algorithm).Compute(input, destination);

    internal override void WriteKeyMembers(Utf8JsonWriter writer, bool includePrivate)
    {
        // The secret is the whole key: an oct JWK without 'k' would be meaningless.
        writer.WriteString("k", StrictBase64Url.Encode(_key));
    }

    internal override void WriteThumbprintMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("k", StrictBase64Url.Encode(_key));
        writer.WriteString("kty", "oct");
    }

    private HmacPool PoolFor(JwsAlgorithm algorithm)
    {
        int index = algorithm.HashSize switch { 32 => 0, 48 => 1, _ => 2 };
        return Volatile.Read(ref _pools[index]) ?? CreatePool(index, algorithm);
    }

    private HmacPool CreatePool(int index, JwsAlgorithm algorithm)
    {
        var pool = new HmacPool(algorithm.Hash, _key);
        return Interlocked.CompareExchange(ref _pools[index], pool, null) ?? pool;
    }
}
