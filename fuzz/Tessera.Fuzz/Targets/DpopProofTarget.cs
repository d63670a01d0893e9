using System.Text;
using Tessera.Dpop;
using Tessera.InMemory;
using Tessera.Jose;
using Tessera.Jose.Encoding;
using Tessera.Jose.Jws;

namespace Tessera.Fuzz.Targets;

/// <summary>
/// The DPoP proof check (RFC 9449 §4.3), which reads what anyone may send: the input is a proof's
/// header and claims (split at the first NUL byte; without one, the whole input is the claims under a
/// header carrying the harness' P-256 key). It is checked twice by <see cref="DpopProofValidator.Verify"/>
/// for <c>POST https://id.example/oauth2/token</c>: unsigned (the header is read before any signature
/// is), then signed with that key, so arbitrary claims get past the signature. Documented:
/// <see cref="JoseException"/> from the signer for a header it must not sign; the check itself
/// answers, never throws. Property: an accepted proof is bound to the key that signed it.
/// </summary>
internal static class DpopProofTarget
{
    private static readonly Uri TokenEndpoint = new("https://id.example/oauth2/token");

    private static readonly byte[] DefaultHeader = Encoding.UTF8.GetBytes(
        $"{{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{FuzzKeys.ProofSigning.ToPublicJwk().ToJson()}}}");

    // Verify records no jti, so a verdict depends on the input alone (no replay across runs).
    private static readonly DpopProofValidator Validator = new(new TesseraDpopOptions(), new DpopReplayCache(new InMemoryThrottleStore(FixedTime.Default)), nonces: null, FixedTime.Default);

    public static void Run(ReadOnlySpan<byte> input)
    {
        int nul = input.IndexOf((byte)0);
        ReadOnlySpan<byte> header = nul < 0 ? DefaultHeader : input[..nul];
        ReadOnlySpan<byte> claims = nul < 0 ? input : input[(nul + 1)..];

        string unsigned = StrictBase64Url.Encode(header) + "." + StrictBase64Url.Encode(claims) + ".AAAA";
        FuzzPropertyException.Check(!Validator.Verify(new DpopProofRequest(unsigned, "POST", TokenEndpoint)).Succeeded, "a proof without a signature is refused");

        string signed;
        try
        {
            signed = JwsSigner.SignWithHeader(header, claims, FuzzKeys.ProofSigning);
        }
        catch (JoseException)
        {
            return;
        }

        Outcome<UnspentDpopProof> verified = Validator.Verify(new DpopProofRequest(signed, "POST", TokenEndpoint));
        if (verified.Succeeded)
        {
            FuzzPropertyException.Check(verified.Value.KeyThumbprint == FuzzKeys.ProofSigning.Thumbprint, "an accepted proof is bound to the key that signed it");
        }
    }
}
