using System.Text.Json;
using NSec.Cryptography;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Encoding;

namespace Tessera.Jose.Keys;

/// <summary>An Ed25519 key (<c>kty: OKP</c>, RFC 8037) for EdDSA, through NSec (libsodium).</summary>
public sealed class OkpJwk : Jwk
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    private readonly PublicKey _publicKey;
    private readonly Key? _privateKey;
    private readonly byte[] _x;
    private readonly byte[]? _d;

    private OkpJwk(PublicKey publicKey, Key? privateKey, byte[] x, byte[]? d, JwkMetadata metadata)
        : base(metadata)
    {
        _publicKey = publicKey;
        _privateKey = privateKey;
        _x = x;
        _d = d;
    }

    /// <inheritdoc />
    public override JwkKeyType KeyType => JwkKeyType.OctetKeyPair;

    /// <inheritdoc />
    public override bool HasPrivateKey => _privateKey is not null;

    /// <inheritdoc />
    public override string Curve => "Ed25519";

    private protected override JwsAlgorithm TypeDefaultAlgorithm => JwsAlgorithms.EdDSA;

    /// <summary>Imports an Ed25519 public key and optional 32-byte seed, refusing a seed that does not match <paramref name="x"/>.</summary>
    internal static bool TryCreate(byte[] x, byte[]? d, JwkMetadata metadata, out Jwk? key, out JoseError? error)
    {
        key = null;
        if (x.Length != Ed25519.PublicKeySize || (d is not null && d.Length != Ed25519.PrivateKeySize))
        {
            error = JoseError.KeyInvalid("Ed25519 'x' and 'd' must be exactly 32 bytes");
            return false;
        }

        if (!PublicKey.TryImport(Ed25519, x, KeyBlobFormat.RawPublicKey, out PublicKey? publicKey) || publicKey is null)
        {
            error = JoseError.KeyInvalid("'x' is not an Ed25519 public key");
            return false;
        }

        Key? privateKey = null;
        if (d is not null)
        {
            var creation = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
            if (!Key.TryImport(Ed25519, d, KeyBlobFormat.RawPrivateKey, out privateKey, in creation) || privateKey is null
                || !privateKey.PublicKey.Export(KeyBlobFormat.RawPublicKey).AsSpan().SequenceEqual(x))
            {
                privateKey?.Dispose();
                error = JoseError.KeyInvalid("'d' is not the Ed25519 seed of 'x'");
                return false;
            }
        }

        key = new OkpJwk(publicKey, privateKey, x, d, metadata);
        error = null;
        return true;
    }

    /// <summary>Creates a new Ed25519 key pair.</summary>
    internal static OkpJwk Generate(JwkMetadata metadata)
    {
        var creation = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        Key privateKey = Key.Create(Ed25519, creation);
        byte[] seed = privateKey.Export(KeyBlobFormat.RawPrivateKey);
        byte[] x = privateKey.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        return new OkpJwk(privateKey.PublicKey, privateKey, x, seed, metadata);
    }

    /// <inheritdoc />
    public override Jwk ToPublicJwk() => new OkpJwk(_publicKey, null, _x, null, PublicMetadata);

    private protected override bool FitsMaterial(JwsAlgorithm algorithm) => algorithm.Curve == "Ed25519";

    internal override int GetSignatureSize(JwsAlgorithm algorithm) => Ed25519.SignatureSize;

    internal override bool VerifySignature(JwsAlgorithm algorithm, ReadOnlySpan<byte> input, ReadOnlySpan<byte> signature) =>
        signature.Length == Ed25519.SignatureSize && Ed25519.Verify(_publicKey, input, signature);

    internal override void Sign(JwsAlgorithm algorithm, ReadOnlySpan<byte> input, Span<byte> destination) =>
        Ed25519.Sign(_privateKey!, input, destination);

    internal override void WriteKeyMembers(Utf8JsonWriter writer, bool includePrivate)
    {
        writer.WriteString("crv", Curve);
        writer.WriteString("x", StrictBase64Url.Encode(_x));
        if (includePrivate && _d is not null)
        {
            writer.WriteString("d", StrictBase64Url.Encode(_d));
        }
    }

    internal override void WriteThumbprintMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("crv", Curve);
        writer.WriteString("kty", "OKP");
        writer.WriteString("x", StrictBase64Url.Encode(_x));
    }
}
