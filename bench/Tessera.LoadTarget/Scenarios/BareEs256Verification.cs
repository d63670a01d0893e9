using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tessera.Jose.Keys;

namespace Tessera.LoadTarget.Scenarios;

/// <summary>
/// The floor of the cache-miss row (#13's goal: the ceiling plus one signature verification plus
/// 10 µs): a token of the row, verified by .NET's ECDsa alone — one instance made once from the
/// published key, as <c>EcJwk</c> keeps it, the signing input and signature already in bytes — with
/// nothing of Tessera around it. Run in the target's own process, on its cores, right after a run,
/// so it pays the same OpenSSL, runtime and machine load as the row it is the floor of.
/// </summary>
internal sealed class BareEs256Verification : IDisposable
{
    private readonly ECDsa _ecdsa;
    private readonly byte[] _input;
    private readonly byte[] _signature;

    private BareEs256Verification(ECDsa ecdsa, byte[] input, byte[] signature)
    {
        _ecdsa = ecdsa;
        _input = input;
        _signature = signature;
    }

    /// <summary>For <paramref name="token"/> (compact ES256), with the key in <paramref name="keys"/> its header names.</summary>
    public static BareEs256Verification For(string token, JwkSet keys)
    {
        string[] parts = token.Split('.');
        using JsonDocument header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        string kid = header.RootElement.GetProperty("kid").GetString()!;
        ReadOnlySpan<Jwk> found = keys.FindByKeyId(kid);
        Jwk key = found.Length == 1 ? found[0] : throw new InvalidOperationException($"the published keys hold {found.Length} keys named {kid}");
        using JsonDocument jwk = JsonDocument.Parse(key.ToJson());
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = Base64Url.DecodeFromChars(jwk.RootElement.GetProperty("x").GetString()),
                Y = Base64Url.DecodeFromChars(jwk.RootElement.GetProperty("y").GetString()),
            },
        };
        byte[] input = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
        return new BareEs256Verification(ECDsa.Create(parameters), input, Base64Url.DecodeFromChars(parts[2]));
    }

    /// <summary>Verifies in a loop on every core for <paramref name="duration"/>; how many verifications were done.</summary>
    public long VerifyFor(TimeSpan duration)
    {
        long done = 0;
        DateTime until = DateTime.UtcNow + duration;
        Parallel.For(0, Environment.ProcessorCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, _ =>
        {
            long mine = 0;
            while (DateTime.UtcNow < until)
            {
                if (!_ecdsa.VerifyData(_input, _signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                {
                    throw new InvalidOperationException("a token of the row did not verify");
                }

                mine++;
            }

            Interlocked.Add(ref done, mine);
        });
        return done;
    }

    /// <summary>One verification, on this thread (the probe's floor row).</summary>
    public void VerifyOnce()
    {
        if (!_ecdsa.VerifyData(_input, _signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            throw new InvalidOperationException("a token of the row did not verify");
        }
    }

    public void Dispose() => _ecdsa.Dispose();
}
