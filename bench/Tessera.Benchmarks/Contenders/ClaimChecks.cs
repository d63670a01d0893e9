using System.Collections;

namespace Tessera.Benchmarks.Contenders;

/// <summary>
/// The claim checks Tessera and Microsoft.IdentityModel make, for the libraries that only verify
/// the signature and hand back a dictionary (jose-jwt) or check only the times (JWT.Net):
/// iss equal to the accepted issuer, aud (a string or an array) containing the accepted audience,
/// exp present and not past (with the same skew), nbf not in the future when present.
/// </summary>
internal static class ClaimChecks
{
    private static readonly long Skew = (long)AccessToken.ClockSkew.TotalSeconds;

    /// <summary>The subject when every check passes, else null.</summary>
    public static string? Check(IDictionary<string, object> claims, bool checkTimes)
    {
        if (!claims.TryGetValue("iss", out object? iss) || iss is not string issuer || !string.Equals(issuer, AccessToken.Issuer, StringComparison.Ordinal))
        {
            return null;
        }

        if (!claims.TryGetValue("aud", out object? aud) || !HasAudience(aud))
        {
            return null;
        }

        if (!claims.TryGetValue("exp", out object? exp) || !TryGetSeconds(exp, out long expires))
        {
            return null;
        }

        if (checkTimes)
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (now >= expires + Skew)
            {
                return null;
            }

            if (claims.TryGetValue("nbf", out object? nbf) && (!TryGetSeconds(nbf, out long notBefore) || now + Skew < notBefore))
            {
                return null;
            }
        }

        return claims.TryGetValue("sub", out object? sub) ? sub as string : null;
    }

    private static bool HasAudience(object? aud)
    {
        if (aud is string one)
        {
            return string.Equals(one, AccessToken.Audience, StringComparison.Ordinal);
        }

        if (aud is IEnumerable many)
        {
            foreach (object? item in many)
            {
                if (string.Equals(item?.ToString(), AccessToken.Audience, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool TryGetSeconds(object? value, out long seconds)
    {
        switch (value)
        {
            case long l:
                seconds = l;
                return true;
            case int i:
                seconds = i;
                return true;
            case double d when double.IsFinite(d):
                seconds = (long)Math.Floor(d);
                return true;
            default:
                seconds = 0;
                return false;
        }
    }
}
