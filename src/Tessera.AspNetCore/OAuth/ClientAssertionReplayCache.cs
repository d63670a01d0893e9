using System.Collections.Concurrent;

namespace Tessera.AspNetCore.OAuth;

/// <summary>
/// The <c>jti</c> values of client assertions already used (RFC 7523 §3 item 7: an assertion is used
/// once), kept until the assertion's own <c>exp</c>: after that it would be refused as expired anyway.
/// In process memory: behind a load balancer an assertion could be replayed once per instance within
/// its short lifetime (at most <see cref="ClientAssertionValidator.MaxLifetime"/>). Bounded: when
/// full of unexpired entries it refuses new assertions rather than forget used ones (fail closed).
/// </summary>
public sealed class ClientAssertionReplayCache(TimeProvider time)
{
    /// <summary>More live assertions than this in a few minutes is an attack, not traffic.</summary>
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    /// <summary>True the first time (<paramref name="clientId"/>, <paramref name="jti"/>) is seen before <paramref name="expiresAt"/>.</summary>
    public bool TryUse(string clientId, string jti, DateTimeOffset expiresAt)
    {
        DateTimeOffset now = Clock.Now(time);
        if (_used.Count >= MaxEntries)
        {
            foreach (KeyValuePair<string, DateTimeOffset> entry in _used)
            {
                if (entry.Value <= now)
                {
                    _used.TryRemove(entry);
                }
            }

            if (_used.Count >= MaxEntries)
            {
                return false;
            }
        }

        string key = clientId + "\n" + jti;
        if (_used.TryGetValue(key, out DateTimeOffset until) && until <= now)
        {
            // An expired entry (the assertion would fail its exp check first) may be replaced.
            _used.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
        }

        return _used.TryAdd(key, expiresAt);
    }
}
