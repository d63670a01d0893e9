using System.Diagnostics;

namespace Tessera.Telemetry;

/// <summary>
/// The spans of token work (issue, refresh, verify, introspect) and the <c>tessera.tokens.issued</c>
/// counts. A span carries the grant and the outcome, never a token, a claim or a key.
/// </summary>
internal static class TokenActivities
{
    public const string Issue = "tessera.token.issue";
    public const string Refresh = "tessera.token.refresh";
    public const string Verify = "tessera.token.verify";
    public const string Introspect = "tessera.token.introspect";

    /// <summary>The <c>grant</c> of tokens issued at a password sign-in (<c>POST /auth/token</c>); not an RFC 6749 grant type.</summary>
    public const string PasswordGrant = "password";

    public const string AccessToken = "access_token";
    public const string RefreshTokenKind = "refresh_token";

    /// <summary>A span named <paramref name="name"/>, or null (no allocation) when nobody listens.</summary>
    public static Activity? Start(string name, string? grant)
    {
        Activity? activity = TesseraTelemetry.ActivitySource.StartActivity(name);
        if (grant is not null && activity is { IsAllDataRequested: true })
        {
            activity.SetTag("tessera.grant", grant);
        }

        return activity;
    }

    /// <summary>The span ended with <paramref name="outcome"/> (<see cref="TesseraMetrics.Succeeded"/> or an error code).</summary>
    public static void Ended(Activity? activity, string outcome)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("tessera.outcome", outcome);
            if (!string.Equals(outcome, TesseraMetrics.Succeeded, StringComparison.Ordinal))
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }
    }

    /// <summary>An access token, and a refresh token when <paramref name="refreshToken"/>, issued through <paramref name="grant"/>.</summary>
    public static void Issued(string grant, bool refreshToken)
    {
        TesseraMetrics.TokenIssued(grant, AccessToken);
        if (refreshToken)
        {
            TesseraMetrics.TokenIssued(grant, RefreshTokenKind);
        }
    }
}
