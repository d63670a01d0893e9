using Tessera.Tokens;

namespace Tessera.Keys;

/// <summary>
/// When keys come and go, computed from the stored times only, so every instance sharing the store
/// reaches the same answer. The ring keeps one signing key per configured algorithm
/// (<see cref="TesseraTokenOptions.SigningAlgorithms"/>: the access-token algorithm and the ID-token
/// ones), and every rule below applies to each algorithm on its own:
/// <list type="bullet">
/// <item>the current signing key of an algorithm is its newest key whose <c>ActivatesAt</c> has passed and that was not retired;</item>
/// <item>a new key is added <see cref="TesseraTokenOptions.KeyPublicationLead"/> before the current one is
/// <see cref="TesseraTokenOptions.KeyRotationInterval"/> old, and is published from then on, before it signs;</item>
/// <item>a key that stopped signing stays published until every token it signed has expired;</item>
/// <item>the refresh secret is replaced on the same interval, and the one before it is kept for the grace window.</item>
/// </list>
/// </summary>
internal sealed class KeyRotationSchedule(TesseraTokenOptions options)
{
    private readonly IReadOnlyList<string> _algorithms = options.SigningAlgorithms;

    // A retired key stays published this long after it stopped signing: the longest-lived token
    // it may have signed, plus a minute for clocks.
    private readonly TimeSpan _publishedAfterSigning =
        (options.AccessTokenLifetime > options.IdTokenLifetime ? options.AccessTokenLifetime : options.IdTokenLifetime) + TimeSpan.FromMinutes(1);

    /// <summary>True when the newest refresh secret is missing or <see cref="TesseraTokenOptions.KeyRotationInterval"/> old.</summary>
    public bool RefreshSecretDue(IReadOnlyList<SigningKeyRecord> keys, DateTimeOffset now) =>
        // Whoever obtains the secret and an old refresh token can compute that session's later
        // tokens only until the next rotation.
        RefreshSecrets(keys).FirstOrDefault() is not { } secret || secret.CreatedAt + options.KeyRotationInterval <= now;

    /// <summary>The new signing keys due now: for each configured algorithm that needs one, when it should start signing.</summary>
    public IEnumerable<(string Algorithm, DateTimeOffset ActivatesAt)> SigningKeysDue(IReadOnlyList<SigningKeyRecord> keys, DateTimeOffset now)
    {
        foreach (string algorithm in _algorithms)
        {
            if (SigningKeyDue(keys, algorithm, now) is { } activatesAt)
            {
                yield return (algorithm, activatesAt);
            }
        }
    }

    /// <summary>When a new signing key of <paramref name="algorithm"/> should start signing, if one is due now; null when none is due.</summary>
    private DateTimeOffset? SigningKeyDue(IReadOnlyList<SigningKeyRecord> keys, string algorithm, DateTimeOffset now)
    {
        SigningKeyRecord[] signing = [.. keys.Where(k => k.Use == SigningKeyUses.Signing && k.RetiresAt is null && Is(k, algorithm))];
        if (!signing.Any(k => k.ActivatesAt <= now))
        {
            // Nothing of this algorithm can sign yet (first start, an algorithm added to the
            // configuration — a ring stored before ID tokens holds only the access-token key — or
            // every key retired by hand): sign at once.
            return now;
        }

        // The newest key (active or waiting) is due for a successor: publish it now, sign with it later.
        return signing.Max(k => k.ActivatesAt) + options.KeyRotationInterval - options.KeyPublicationLead <= now
            ? now + options.KeyPublicationLead
            : null;
    }

    /// <summary>What the ring holds at <paramref name="now"/>: the current key of each algorithm, the published ones, the refresh secrets, and until when that holds.</summary>
    public KeyRingPlan Plan(IReadOnlyList<SigningKeyRecord> keys, DateTimeOffset now)
    {
        SigningKeyRecord[] refresh = [.. RefreshSecrets(keys).Take(2)];
        if (refresh.Length == 0)
        {
            throw new InvalidOperationException("The key store holds no refresh secret.");
        }

        // The signing keys of each algorithm in activation order; each signs until the next one of its algorithm activates.
        ILookup<string, SigningKeyRecord> byAlgorithm = keys.Where(k => k.Use == SigningKeyUses.Signing)
            .OrderBy(k => k.ActivatesAt).ThenBy(k => k.KeyId, StringComparer.Ordinal)
            .ToLookup(k => k.Algorithm, StringComparer.Ordinal);
        var current = new Dictionary<string, SigningKeyRecord>(StringComparer.Ordinal);
        foreach (string algorithm in _algorithms)
        {
            current[algorithm] = byAlgorithm[algorithm].LastOrDefault(k => k.ActivatesAt <= now && k.RetiresAt is null)
                ?? throw new InvalidOperationException($"The key store holds no usable {algorithm} signing key.");
        }

        // A key of an algorithm no longer configured stopped signing when the configuration changed,
        // which the store does not record; the newest activation of a configured algorithm's key is
        // the nearest stored time (an algorithm added to the configuration gets its first key then).
        DateTimeOffset latestActivation = current.Values.Max(k => k.ActivatesAt);
        var published = new List<SigningKeyRecord>();
        DateTimeOffset validUntil = now + options.KeyRingRefreshInterval;
        foreach (IGrouping<string, SigningKeyRecord> group in byAlgorithm)
        {
            SigningKeyRecord[] ordered = [.. group];
            SigningKeyRecord? signing = current.GetValueOrDefault(group.Key);
            foreach (SigningKeyRecord key in ordered)
            {
                if (UnpublishedAt(key, ordered, signing, latestActivation, now) is { } end)
                {
                    if (end <= now)
                    {
                        continue;
                    }

                    // Rebuild when this key leaves the JWKS, not a cache interval later.
                    validUntil = end < validUntil ? end : validUntil;
                }

                published.Add(key);
            }
        }

        DateTimeOffset? waiting = keys.Where(k => k.Use == SigningKeyUses.Signing && k.ActivatesAt > now && k.RetiresAt is null)
            .Select(k => (DateTimeOffset?)k.ActivatesAt).Min();
        if (waiting < validUntil)
        {
            validUntil = waiting.Value;
        }

        return new KeyRingPlan(current, options.Algorithm, published, refresh[0], refresh.Length > 1 ? refresh[1] : null, validUntil);
    }

    /// <summary>
    /// When a key leaves the JWKS: a minute after the last token it signed expired; null while it
    /// signs or waits to. <paramref name="ordered"/> are the keys of its algorithm, <paramref name="current"/>
    /// the one of them signing now (null for an algorithm no longer configured).
    /// </summary>
    private DateTimeOffset? UnpublishedAt(SigningKeyRecord key, SigningKeyRecord[] ordered, SigningKeyRecord? current, DateTimeOffset latestActivation, DateTimeOffset now)
    {
        if (key == current || key.ActivatesAt > now)
        {
            return null; // signing now, or not yet: published either way
        }

        // Retired by hand, else superseded when the next key of its algorithm activated, else (an
        // algorithm no longer configured) when the configuration changed.
        DateTimeOffset stoppedSigning = key.RetiresAt ?? ordered.Skip(Array.IndexOf(ordered, key) + 1)
            .Where(k => k.ActivatesAt <= now).Select(k => k.ActivatesAt).DefaultIfEmpty(latestActivation).First();
        return stoppedSigning + _publishedAfterSigning;
    }

    private static bool Is(SigningKeyRecord key, string algorithm) => string.Equals(key.Algorithm, algorithm, StringComparison.Ordinal);

    /// <summary>The refresh secrets in use, newest first (the first derives new tokens).</summary>
    private static IEnumerable<SigningKeyRecord> RefreshSecrets(IReadOnlyList<SigningKeyRecord> keys) =>
        keys.Where(k => k.Use == SigningKeyUses.RefreshDerivation && k.RetiresAt is null)
            .OrderByDescending(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal);
}

/// <summary>The ring's keys as <see cref="KeyRotationSchedule.Plan"/> sorted them, still protected.</summary>
internal sealed record KeyRingPlan(
    IReadOnlyDictionary<string, SigningKeyRecord> Current,
    string AccessTokenAlgorithm,
    IReadOnlyList<SigningKeyRecord> Published,
    SigningKeyRecord RefreshSecret,
    SigningKeyRecord? PreviousRefreshSecret,
    DateTimeOffset ValidUntil);
