using System.Text;
using Tessera.Benchmarks.Contenders;
using Tessera.Jose.Jwt;

namespace Tessera.Benchmarks;

/// <summary>
/// The checks a benchmark's setup runs before anything is timed: every validator accepts the
/// common token with the right subject and refuses every bad one; every signer's token is
/// accepted by Tessera and by the signer's own library. A benchmark of a contender that fails
/// is worthless, so any failure throws.
/// </summary>
public static class Checks
{
    public static void ThrowIfValidatorsWrong(ContenderSet set)
    {
        var failures = new StringBuilder();
        foreach (ContenderSet.AlgorithmSet algorithm in set.Algorithms)
        {
            foreach (Contender contender in algorithm.Contenders)
            {
                ExpectAccepted(failures, contender, algorithm.ValidToken, "the common token");
                foreach ((string what, string token) in algorithm.BadTokens)
                {
                    ExpectRefused(failures, contender.ToString(), what, () => contender.Validate(token) is null);
                }
            }
        }

        ContenderSet.AlgorithmSet hs256 = set["HS256"];
        if (set.Floor.Validate(hs256.ValidToken) != set.Token.ExpiresAtSeconds)
        {
            failures.AppendLine("Floor HS256: did not accept the common token");
        }

        // The floor checks only the MAC and exp, by design.
        foreach (string what in new[] { "payload tampered (sub changed, signature kept)", "signature tampered (one bit flipped)", "expired an hour ago" })
        {
            string token = hs256.BadTokens[what];
            ExpectRefused(failures, "Floor HS256", what, () => set.Floor.Validate(token) < 0);
        }

        ThrowIf(failures);
    }

    public static void ThrowIfSignersWrong(ContenderSet set)
    {
        var failures = new StringBuilder();
        foreach (ContenderSet.AlgorithmSet algorithm in set.Algorithms)
        {
            foreach (Contender contender in algorithm.Contenders)
            {
                CheckSignedToken(failures, algorithm, contender, contender.Sign());
            }
        }

        ThrowIf(failures);
    }

    /// <summary>A token from <paramref name="signer"/> must validate in Tessera (same claims, same key) and in the signer's own library.</summary>
    public static void CheckSignedToken(StringBuilder failures, ContenderSet.AlgorithmSet algorithm, Contender signer, string token)
    {
        JwtValidation result = algorithm.Tessera.ValidateFull(token);
        if (result.Error is not null)
        {
            failures.AppendLine($"{signer} signed a token Tessera refuses: {result.Error.Code}: {result.Error.Message}");
            return;
        }

        JwtClaims claims = result.Claims!;
        if (claims.Subject != AccessToken.Subject || claims.JwtId != AccessToken.JwtId || claims.Issuer != AccessToken.Issuer
            || claims.Audiences.Count != 1 || claims.Audiences[0] != AccessToken.Audience
            || claims.Algorithm != algorithm.Algorithm
            || !claims.TryGetString(AccessToken.RoleClaim, out string? role) || role != AccessToken.Role
            || claims.ExpiresAt is null || claims.IssuedAt is null)
        {
            failures.AppendLine($"{signer} signed a token with other claims than the access token: {Encoding.UTF8.GetString(claims.RawPayload.Span)}");
        }

        ExpectAccepted(failures, signer, token, "its own token");
    }

    private static void ExpectAccepted(StringBuilder failures, Contender contender, string token, string what)
    {
        try
        {
            string? subject = contender.Validate(token);
            if (subject != AccessToken.Subject)
            {
                string why = contender is MicrosoftContender microsoft ? ": " + microsoft.ValidationException(token)?.Message : string.Empty;
                failures.AppendLine($"{contender}: did not accept {what} (subject '{subject}'){why}");
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            failures.AppendLine($"{contender}: did not accept {what}: {exception.GetType().Name}: {exception.Message}");
        }
    }

    private static void ExpectRefused(StringBuilder failures, string contender, string what, Func<bool> refuses)
    {
        try
        {
            if (!refuses())
            {
                failures.AppendLine($"{contender}: accepted a token it must refuse: {what}");
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Refused by throwing: jose-jwt and JWT.Net report failures so.
        }
    }

    private static void ThrowIf(StringBuilder failures)
    {
        if (failures.Length > 0)
        {
            throw new InvalidOperationException("Benchmark setup check failed:" + Environment.NewLine + failures);
        }
    }
}
