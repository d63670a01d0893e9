using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Tessera.Telemetry;

/// <summary>
/// Tessera's counters and histograms (OpenTelemetry semantic-convention naming: dotted lower-case
/// names, UCUM units in braces for counts, seconds for durations). Tags carry bounded vocabularies
/// only (outcomes, error codes, reasons, grant types, store and operation names): never a token, a
/// password, a session secret, a cookie or a username. Each method checks
/// <see cref="Instrument.Enabled"/> first, so nothing is built while nobody listens.
/// </summary>
public static class TesseraMetrics
{
    /// <summary>The <c>outcome</c> of a successful sign-in or refresh.</summary>
    public const string Succeeded = "succeeded";

    private static readonly Counter<long> SignInAttempts = TesseraTelemetry.Meter.CreateCounter<long>(
        "tessera.signin.attempts", "{attempt}", "Password sign-in attempts, by outcome (succeeded or the error code).");

    private static readonly Counter<long> TokensIssued = TesseraTelemetry.Meter.CreateCounter<long>(
        "tessera.tokens.issued", "{token}", "Tokens issued, by grant (password, authorization_code, refresh_token, client_credentials) and kind (access_token, refresh_token).");

    private static readonly Counter<long> Refreshes = TesseraTelemetry.Meter.CreateCounter<long>(
        "tessera.refresh", "{request}", "Refresh-token exchanges, by outcome (succeeded or the error code).");

    private static readonly Counter<long> ReuseDetections = TesseraTelemetry.Meter.CreateCounter<long>(
        "tessera.refresh_token.reuse_detected", "{detection}", "Rotated-away refresh tokens presented again; each one ended its session (RFC 9700 §4.14.2).");

    private static readonly Counter<long> SessionsRevoked = TesseraTelemetry.Meter.CreateCounter<long>(
        "tessera.sessions.revoked", "{session}", "Sessions ended, by revocation reason.");

    private static readonly Counter<long> CacheLookups = TesseraTelemetry.Meter.CreateCounter<long>(
        "tessera.cache.lookups", "{lookup}", "Cache lookups, by cache (verified_token, jwks, key_ring) and result (hit, miss).");

    private static readonly Counter<long> AuditFailures = TesseraTelemetry.Meter.CreateCounter<long>(
        "tessera.audit.failures", "{event}", "Audit events the audit log could not store (the operation went on), by event type.");

    private static readonly Histogram<double> StoreDuration = TesseraTelemetry.Meter.CreateHistogram<double>(
        "tessera.store.duration", "s", "Duration of store calls, by store (sqlite, postgresql, redis) and operation.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    /// <summary>One password sign-in attempt ended with <paramref name="outcome"/> (<see cref="Succeeded"/> or an error code).</summary>
    public static void SignInAttempt(string outcome)
    {
        if (SignInAttempts.Enabled)
        {
            SignInAttempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    /// <summary><paramref name="count"/> tokens of <paramref name="kind"/> issued through <paramref name="grant"/>.</summary>
    public static void TokenIssued(string grant, string kind, int count = 1)
    {
        if (TokensIssued.Enabled)
        {
            TokensIssued.Add(count, new KeyValuePair<string, object?>("grant", grant), new KeyValuePair<string, object?>("kind", kind));
        }
    }

    /// <summary>One refresh ended with <paramref name="outcome"/> (<see cref="Succeeded"/> or an error code).</summary>
    public static void Refresh(string outcome)
    {
        if (Refreshes.Enabled)
        {
            Refreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    /// <summary>A refresh token came back after it was rotated away.</summary>
    public static void ReuseDetected() => ReuseDetections.Add(1);

    /// <summary><paramref name="count"/> sessions ended for <paramref name="reason"/>.</summary>
    public static void SessionRevoked(string reason, int count = 1)
    {
        if (count > 0 && SessionsRevoked.Enabled)
        {
            SessionsRevoked.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    /// <summary>A lookup in <paramref name="cache"/> (one of <see cref="TesseraCaches"/>) found its answer, or not.</summary>
    public static void CacheLookup(string cache, bool hit)
    {
        if (CacheLookups.Enabled)
        {
            CacheLookups.Add(1, new KeyValuePair<string, object?>("cache", cache), new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
        }
    }

    /// <summary>An audit event of <paramref name="type"/> was lost to a failing audit log.</summary>
    public static void AuditFailed(string type) =>
        AuditFailures.Add(1, new KeyValuePair<string, object?>("type", type));

    /// <summary>Whether the store-duration histogram has a listener (<see cref="StoreCall"/> reads it).</summary>
    internal static bool StoreDurationEnabled => StoreDuration.Enabled;

    internal static void RecordStoreDuration(double seconds, string store, string operation, string? errorType)
    {
        if (errorType is null)
        {
            StoreDuration.Record(seconds, new KeyValuePair<string, object?>("store", store), new KeyValuePair<string, object?>("operation", operation));
        }
        else
        {
            StoreDuration.Record(seconds, new KeyValuePair<string, object?>("store", store), new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("error.type", errorType));
        }
    }
}

/// <summary>The <c>cache</c> tag values of <c>tessera.cache.lookups</c>.</summary>
public static class TesseraCaches
{
    /// <summary>Access tokens whose signature and claims were verified before (<c>VerifiedTokenCache</c>).</summary>
    public const string VerifiedToken = "verified_token";

    /// <summary>A resource server's copy of the issuer's JWKS.</summary>
    public const string Jwks = "jwks";

    /// <summary>The signing-key ring's snapshot of the key store.</summary>
    public const string KeyRing = "key_ring";
}
