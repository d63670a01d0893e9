using Tessera.Jose.Jws;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Tests.Wycheproof;

/// <summary>What Tessera did with a case: accepted it, or refused it at key import or at verification.</summary>
public sealed record WycheproofOutcome(bool Accepted, string Stage, string? Code)
{
    public override string ToString() => Accepted ? "accepted" : $"refused at {Stage} ({Code})";
}

/// <summary>
/// Runs a case the way an application would: import the group's key (a JWK or a JWK Set), then
/// verify the compact token with the default options, where the keys alone decide the algorithms.
/// </summary>
internal static class WycheproofRunner
{
    private static readonly JwsVerifier Verifier = new();

    public static WycheproofOutcome Run(WycheproofCase testCase)
    {
        if (!testCase.IsRunnable || testCase.CompactToken is null)
        {
            throw new InvalidOperationException($"{testCase} is not runnable: {testCase.SkipReason}");
        }

        JwkSet keys;
        string keyJson = testCase.Key.GetRawText();
        if (testCase.KeyIsSet)
        {
            if (!JwkSet.TryParse(keyJson, out JwkSet? set, out JoseError? error))
            {
                return new WycheproofOutcome(false, "key", error!.Code);
            }

            keys = set!;
        }
        else
        {
            if (!Jwk.TryParse(keyJson, out Jwk? key, out JoseError? error))
            {
                return new WycheproofOutcome(false, "key", error!.Code);
            }

            keys = JwkSet.Of(key!);
        }

        JwsVerification verification = Verifier.Verify(testCase.CompactToken, keys);
        return new WycheproofOutcome(verification.IsValid, "verify", verification.Error?.Code);
    }
}
