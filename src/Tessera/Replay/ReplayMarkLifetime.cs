namespace Tessera.Replay;

/// <summary>
/// The arguments every <see cref="IReplayStore"/> checks the same way, so a caller's bug reads the
/// same whichever store is configured (the replay store conformance suite holds each to it).
/// </summary>
public static class ReplayMarkLifetime
{
    /// <summary>
    /// The longest mark a store takes. Marks live as long as a proof or assertion could be accepted:
    /// minutes (RFC 9449 §11.1, RFC 7523 §3). A day is far beyond any of them, so a longer one is a
    /// caller's bug (a unit mix-up, <see cref="TimeSpan.MaxValue"/>), not a mark to keep.
    /// </summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    /// <summary>
    /// The shortest mark: a mark asked for no time at all (or a little less, a client assertion whose
    /// <c>exp</c> passed between its check and its mark) still lives this long, since a shorter mark
    /// than asked for would be the unsafe direction and a store needs a positive window.
    /// </summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Checks <paramref name="key"/> (not empty) and <paramref name="lifetime"/> (within
    /// ±<see cref="Longest"/>) and returns how long the mark lives: at least <see cref="Shortest"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The key is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The lifetime is longer than <see cref="Longest"/> either way.</exception>
    public static TimeSpan Of(string key, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (lifetime > Longest || lifetime < -Longest)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"A replay mark lives at most {Longest.TotalHours:0} hours; marks are for proofs and assertions that live minutes.");
        }

        return lifetime < Shortest ? Shortest : lifetime;
    }
}
