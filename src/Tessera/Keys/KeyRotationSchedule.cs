using Tessera.Tokens;

namespace Tessera.Keys;

/// <summary>
/// When keys come and go, computed from the stored times only, so every instance sharing the store
/// reaches the same answer:
/// <list type="bullet">
/// <item>the current signing key is the newest of the configured algorithm whose <c>ActivatesAt</c> has passed and that was not retired;</item>
/// <item>a new key is added <see cref="TesseraTokenOptions.KeyPublicationLead"/> before the current one is
/// <see cref="TesseraTokenOptions.KeyRotationInterval"/> old, and is published from then on, before it signs;</item>
/// <item>a key that stopped signing stays published until every access token it signed has expired;</item>
/// <item>the refresh secret is replaced on the same interval, and the one before it is kept for the grace window.</item>
/// </list>
/// </summary>
internal sealed class KeyRotationSchedule(TesseraTokenOptions options)
{
    /// <summary>True when the newest refresh secret is missing or <see cref="TesseraTokenOptions.KeyRotationInterval"/> old.</summary>
    public bool RefreshSecretDue(IReadOnlyList<SigningKeyRecord> keys, DateTimeOffset now) =>
        // Whoever obtains the secret and an old refresh token can compute that session's later
        // tokens only until the next rotation.
        RefreshSecrets(keys).FirstOrDefault() is not { } secret || secret.CreatedAt + options.KeyRotationInterval <= now;

    /// <summary>When a new signing key should start signing, if one is due now; null when none is due.</summary>
    public DateTimeOffset? SigningKeyDue(IReadOnlyList<SigningKeyRecord> keys, DateTimeOffset now)
    {
        SigningKeyRecord[] signing = [.. keys.Where(k => k.Use == SigningKeyUses.Signing && k.RetiresAt is null && IsConfiguredAlgorithm(k))];
        if (!signing.Any(k => k.ActivatesAt <= now))
        {
            // Nothing can sign yet (first start, a changed algorithm, or every key retired by hand): sign at once.
            return now;
        }

        // The newest key (active or waiting) is due for a successor: publish it now, sign with it later.
        return signing.Max(k => k.ActivatesAt) + options.KeyRotationInterval - options.KeyPublicationLead <= now
            ? now + options.KeyPublicationLead
            : null;
    }

    /// <summary>What the ring holds at <paramref name="now"/>: the current key, the published ones, the refresh secrets, and until when that holds.</summary>
    public KeyRingPlan Plan(IReadOnlyList<SigningKeyRecord> keys, DateTimeOffset now)
    {
        SigningKeyRecord[] refresh = [.. RefreshSecrets(keys).Take(2)];
        if (refresh.Length == 0)
        {
            throw new InvalidOperationException("The key store holds no refresh secret.");
        }

        // The signing keys in activation order; each signs until the next one activates.
        SigningKeyRecord[] signing = [.. keys.Where(k => k.Use == SigningKeyUses.Signing)
            .OrderBy(k => k.ActivatesAt).ThenBy(k => k.KeyId, StringComparer.Ordinal)];
        SigningKeyRecord current = signing.LastOrDefault(k => k.ActivatesAt <= now && k.RetiresAt is null && IsConfiguredAlgorithm(k))
            ?? throw new InvalidOperationException("The key store holds no usable signing key.");

        var published = new List<SigningKeyRecord>();
        DateTimeOffset validUntil = now + options.KeyRingRefreshInterval;
        foreach (SigningKeyRecord key in signing)
        {
            if (UnpublishedAt(key, signing, current, now) is { } end)
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

        DateTimeOffset? waiting = signing.Where(k => k.ActivatesAt > now && k.RetiresAt is null).Select(k => (DateTimeOffset?)k.ActivatesAt).Min();
        if (waiting < validUntil)
        {
            validUntil = waiting.Value;
        }

        return new KeyRingPlan(current, published, refresh[0], refresh.Length > 1 ? refresh[1] : null, validUntil);
    }

    /// <summary>When a key leaves the JWKS: a minute after the last token it signed expired; null while it signs or waits to.</summary>
    private DateTimeOffset? UnpublishedAt(SigningKeyRecord key, SigningKeyRecord[] ordered, SigningKeyRecord current, DateTimeOffset now)
    {
        if (key == current || key.ActivatesAt > now)
        {
            return null; // signing now, or not yet: published either way
        }

        // Retired by hand, else superseded when the next key activated.
        DateTimeOffset stoppedSigning = key.RetiresAt ?? ordered.Skip(Array.IndexOf(ordered, key) + 1)
            .Where(k => k.ActivatesAt <= now).Select(k => k.ActivatesAt).DefaultIfEmpty(current.ActivatesAt).First();
        return stoppedSigning + options.AccessTokenLifetime + TimeSpan.FromMinutes(1);
    }

    private bool IsConfiguredAlgorithm(SigningKeyRecord key) => string.Equals(key.Algorithm, options.Algorithm, StringComparison.Ordinal);

    /// <summary>The refresh secrets in use, newest first (the first derives new tokens).</summary>
    private static IEnumerable<SigningKeyRecord> RefreshSecrets(IReadOnlyList<SigningKeyRecord> keys) =>
        keys.Where(k => k.Use == SigningKeyUses.RefreshDerivation && k.RetiresAt is null)
            .OrderByDescending(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal);
}

/// <summary>The ring's keys as <see cref="KeyRotationSchedule.Plan"/> sorted them, still protected.</summary>
internal sealed record KeyRingPlan(
    SigningKeyRecord Current,
    IReadOnlyList<SigningKeyRecord> Published,
    SigningKeyRecord RefreshSecret,
    SigningKeyRecord? PreviousRefreshSecret,
    DateTimeOffset ValidUntil);
