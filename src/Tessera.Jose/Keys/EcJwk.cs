using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Encoding;

namespace Tessera.Jose.Keys;

/// <summary>An elliptic-curve key (<c>kty: EC</c>) on P-256, P-384 or P-521 for ES256/384/512.</summary>
/// <remarks>Shared between threads like <see cref="RsaJwk"/>: each operation gets its own native context.</remarks>
public sealed class EcJwk : Jwk
{
    private readonly ECDsa _ecdsa;
    private readonly ECParameters _parameters;
    private readonly JwsAlgorithm _algorithm;

    private EcJwk(ECDsa ecdsa, ECParameters parameters, JwsAlgorithm algorithm, JwkMetadata metadata)
        : base(metadata)
    {
        _ecdsa = ecdsa;
        _parameters = parameters;
        _algorithm = algorithm;
    }

    /// <inheritdoc />
    public override JwkKeyType KeyType => JwkKeyType.EllipticCurve;

    /// <inheritdoc />
    public override bool HasPrivateKey => _parameters.D is not null;

    /// <inheritdoc />
    public override string Curve => _algorithm.Curve!;

    private protected override JwsAlgorithm TypeDefaultAlgorithm => _algorithm;

    /// <summary>The one ECDSA algorithm for a curve name, or null when the curve is not supported.</summary>
    internal static JwsAlgorithm? AlgorithmForCurve(string? curve) => curve switch
    {
        "P-256" => JwsAlgorithms.ES256,
        "P-384" => JwsAlgorithms.ES384,
        "P-521" => JwsAlgorithms.ES512,
        _ => null,
    };

    internal static ECCurve NamedCurve(JwsAlgorithm algorithm) => algorithm.CoordinateSize switch
    {
        32 => ECCurve.NamedCurves.nistP256,
        48 => ECCurve.NamedCurves.nistP384,
        _ => ECCurve.NamedCurves.nistP521,
    };

    /// <summary>Imports a point (and scalar), refusing points off the curve or a scalar that does not match.</summary>
    internal static bool TryCreate(JwsAlgorithm algorithm, byte[] x, byte[] y, byte[]? d, JwkMetadata metadata, out Jwk? key, out JoseError? error)
    {
        key = null;

        // RFC 7518 §6.2.1.2-3 and §6.2.2.1: coordinates and scalar are full-length for the curve.
        int size = algorithm.CoordinateSize;
        if (x.Length != size || y.Length != size || (d is not null && d.Length != size))
        {
            error = JoseError.KeyInvalid($"{algorithm.Curve} coordinates and 'd' must be exactly {size} bytes");
            return false;
        }

        var parameters = new ECParameters
        {
            Curve = NamedCurve(algorithm),
            Q = new ECPoint { X = x, Y = y },
            D = d,
        };

        ECDsa ecdsa = ECDsa.Create();
        try
        {
            // Validates that the point is on the curve and, with d, that d·G equals it.
            ecdsa.ImportParameters(parameters);
        }
        catch (CryptographicException)
        {
            ecdsa.Dispose();
            error = JoseError.KeyInvalid($"the point is not on {algorithm.Curve}, or 'd' does not match it");
            return false;
        }

        key = new EcJwk(ecdsa, parameters, algorithm, metadata);
        error = null;
        return true;
    }

    /// <summary>Wraps a freshly generated key.</summary>
    internal static EcJwk FromGenerated(ECDsa ecdsa, JwsAlgorithm algorithm, JwkMetadata metadata) =>
        new(ecdsa, ecdsa.ExportParameters(includePrivateParameters: true), algorithm, metadata);

    /// <inheritdoc />
    public override Jwk ToPublicJwk() =>
        TryCreate(_algorithm, _parameters.Q.X!, _parameters.Q.Y!, null, PublicMetadata, out Jwk? key, out _)
            ? key!
            : throw new InvalidOperationException("unreachable: a valid key's public half is valid");

    private protected override bool FitsMaterial(JwsAlgorithm algorithm) => ReferenceEquals(algorithm, _algorithm);

    internal override int GetSignatureSize(JwsAlgorithm algorithm) => 2 * algorithm.CoordinateSize;

    internal override bool VerifySignature(JwsAlgorithm algorithm, ReadOnlySpan<byte> input, ReadOnlySpan<byte> signature)
    {
        // RFC 7518 §3.4: R || S, each exactly the coordinate size; DER is not JWS.
        if (signature.Length != 2 * algorithm.CoordinateSize)
        {
            return false;
        }

        try
        {
            // OpenSSL refuses r or s equal to zero or not below the group order.
            return _ecdsa.VerifyData(input, signature, algorithm.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    internal override void Sign(JwsAlgorithm algorithm, ReadOnlySpan<byte> input, Span<byte> destination)
    {
        if (!_ecdsa.TrySignData(input, destination, algorithm.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out int written)
            || written != destination.Length)
        {
            throw new CryptographicException("ECDSA signing produced an unexpected length.");
        }
    }

    internal override void WriteKeyMembers(Utf8JsonWriter writer, bool includePrivate)
    {
        writer.WriteString("crv", Curve);
        writer.WriteString("x", StrictBase64Url.Encode(_parameters.Q.X));
        writer.WriteString("y", StrictBase64Url.Encode(_parameters.Q.Y));
        if (includePrivate && HasPrivateKey)
        {
            writer.WriteString("d", StrictBase64Url.Encode(_parameters.D));
        }
    }

    internal override void WriteThumbprintMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("crv", Curve);
        writer.WriteString("kty", "EC");
        writer.WriteString("x", StrictBase64Url.Encode(_parameters.Q.X));
        writer.WriteString("y", StrictBase64Url.Encode(_parameters.Q.Y));
    }
}
