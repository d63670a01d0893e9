using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Encoding;

namespace Tessera.Jose.Keys;

/// <summary>An RSA key (<c>kty: RSA</c>) for RS256/384/512 and PS256/384/512.</summary>
/// <remarks>
/// The <see cref="RSA"/> instance is shared between threads: the OpenSSL-backed implementation
/// creates a fresh native context for every sign or verify, so concurrent use is safe.
/// </remarks>
public sealed class RsaJwk : Jwk
{
    /// <summary>RFC 7518 §3.3 and §3.5: keys of 2048 bits or larger MUST be used.</summary>
    public const int MinimumKeySizeBits = 2048;

    private readonly RSA _rsa;
    private readonly RSAParameters _parameters;

    internal RsaJwk(RSA rsa, RSAParameters parameters, JwkMetadata metadata)
        : base(metadata)
    {
        _rsa = rsa;
        _parameters = parameters;
    }

    /// <inheritdoc />
    public override JwkKeyType KeyType => JwkKeyType.Rsa;

    /// <inheritdoc />
    public override bool HasPrivateKey => _parameters.D is not null;

    /// <summary>The modulus size in bits.</summary>
    public int KeySizeBits => _rsa.KeySize;

    private protected override JwsAlgorithm TypeDefaultAlgorithm => JwsAlgorithms.RS256;

    /// <summary>Imports RSA parameters, refusing weak or malformed keys with a <c>key_invalid</c> error.</summary>
    internal static bool TryCreate(RSAParameters parameters, JwkMetadata metadata, out Jwk? key, out JoseError? error)
    {
        key = null;
        byte[] modulus = parameters.Modulus!;
        if (BitLength(modulus) < MinimumKeySizeBits || (modulus[^1] & 1) == 0)
        {
            error = JoseError.KeyInvalid($"RSA keys must be odd moduli of at least {MinimumKeySizeBits} bits");
            return false;
        }

        byte[] exponent = parameters.Exponent!;
        if ((exponent[^1] & 1) == 0 || (exponent.Length == 1 && exponent[0] < 3) || exponent.Length > 8)
        {
            error = JoseError.KeyInvalid("the RSA public exponent must be an odd number of at least 3");
            return false;
        }

        if (RocaFingerprint.Matches(modulus))
        {
            error = JoseError.KeyInvalid("the RSA modulus has the ROCA fingerprint (CVE-2017-15361): the key was made by a flawed generator and can be factored");
            return false;
        }

        RSA rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(parameters);
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            error = JoseError.KeyInvalid("the RSA key parameters are inconsistent");
            return false;
        }

        key = new RsaJwk(rsa, parameters, metadata);
        error = null;
        return true;
    }

    /// <inheritdoc />
    public override Jwk ToPublicJwk()
    {
        var publicParameters = new RSAParameters { Modulus = _parameters.Modulus, Exponent = _parameters.Exponent };
        return TryCreate(publicParameters, PublicMetadata, out Jwk? key, out _) ? key! : throw new InvalidOperationException("unreachable: a valid key's public half is valid");
    }

    private protected override bool FitsMaterial(JwsAlgorithm algorithm) => algorithm.RsaPadding is not null;

    internal override int GetSignatureSize(JwsAlgorithm algorithm) => _parameters.Modulus!.Length;

    internal override bool VerifySignature(JwsAlgorithm algorithm, ReadOnlySpan<byte> input, ReadOnlySpan<byte> signature)
    {
        // RFC 8017 §8.2.2 and §8.1.2: the signature is exactly k octets; no leniency for shortened forms.
        if (signature.Length != _parameters.Modulus!.Length)
        {
            return false;
        }

        try
        {
            return _rsa.VerifyData(input, signature, algorithm.Hash, algorithm.RsaPadding!);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    internal override void Sign(JwsAlgorithm algorithm, ReadOnlySpan<byte> input, Span<byte> destination)
    {
        if (!_rsa.TrySignData(input, destination, algorithm.Hash, algorithm.RsaPadding!, out int written) || written != destination.Length)
        {
            throw new CryptographicException("RSA signing produced an unexpected length.");
        }
    }

    internal override void WriteKeyMembers(Utf8JsonWriter writer, bool includePrivate)
    {
        writer.WriteString("n", StrictBase64Url.Encode(_parameters.Modulus));
        writer.WriteString("e", StrictBase64Url.Encode(_parameters.Exponent));
        if (includePrivate && HasPrivateKey)
        {
            // The platform left-pads these to fixed widths; a JWK Base64urlUInt has no leading zero octets (RFC 7518 §2).
            writer.WriteString("d", StrictBase64Url.Encode(Minimal(_parameters.D)));
            writer.WriteString("p", StrictBase64Url.Encode(Minimal(_parameters.P)));
            writer.WriteString("q", StrictBase64Url.Encode(Minimal(_parameters.Q)));
            writer.WriteString("dp", StrictBase64Url.Encode(Minimal(_parameters.DP)));
            writer.WriteString("dq", StrictBase64Url.Encode(Minimal(_parameters.DQ)));
            writer.WriteString("qi", StrictBase64Url.Encode(Minimal(_parameters.InverseQ)));
        }
    }

    /// <summary>The modulus size in bits: a 256-byte modulus whose top bit is clear is a 2047-bit key.</summary>
    private static int BitLength(byte[] bigEndian)
    {
        int first = 0;
        while (first < bigEndian.Length && bigEndian[first] == 0)
        {
            first++;
        }

        return first == bigEndian.Length ? 0 : ((bigEndian.Length - first - 1) * 8) + (32 - BitOperations.LeadingZeroCount(bigEndian[first]));
    }

    private static ReadOnlySpan<byte> Minimal(byte[]? bigEndian)
    {
        ReadOnlySpan<byte> value = bigEndian;
        while (value.Length > 1 && value[0] == 0)
        {
            value = value[1..];
        }

        return value;
    }

    internal override void WriteThumbprintMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("e", StrictBase64Url.Encode(_parameters.Exponent));
        writer.WriteString("kty", "RSA");
        writer.WriteString("n", StrictBase64Url.Encode(_parameters.Modulus));
    }
}
