namespace Tessera.InMemory;

/// <summary>
/// Shares one instance of strings that many sessions repeat (user agents, kinds, sign-in methods,
/// reasons), so a million sessions from twenty browsers hold twenty user-agent strings, not a
/// million. Bounded: a fixed two-way set-associative table of <see cref="Capacity"/> slots, so it
/// never holds more than that many strings however many distinct values arrive (a newcomer replaces
/// a slot's older string, which stays alive only while a session still points at it). A value is
/// returned from the table only when it is equal (ordinal) to the one asked for, so one session's
/// string never shows up in another's. Slots are read and written without a lock: a race costs at
/// most one unshared copy. The slot is chosen with the process-randomized string hash, so a client
/// cannot aim its user agent at another's slot.
/// </summary>
internal sealed class BoundedStringInternPool
{
    /// <summary>Strings longer than this are kept as they are (the user-agent cut is 512).</summary>
    public const int MaximumLength = Sessions.SessionClient.MaximumUserAgentLength;

    private readonly string?[] _slots;
    private readonly int _setMask;

    /// <summary>A pool of <paramref name="capacity"/> slots (a power of two, at least 2).</summary>
    public BoundedStringInternPool(int capacity = 2048)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The capacity must be a power of two, at least 2.");
        }

        _slots = new string?[capacity];
        _setMask = (capacity / 2) - 1;
    }

    /// <summary>How many strings the pool can hold at most.</summary>
    public int Capacity => _slots.Length;

    /// <summary>How many slots hold a string now (tests check the bound).</summary>
    public int Count => _slots.Count(s => s is not null);

    /// <summary>The pooled instance equal to <paramref name="value"/>, or <paramref name="value"/> itself (then pooled).</summary>
    public string? Intern(string? value)
    {
        if (value is null || value.Length > MaximumLength)
        {
            return value;
        }

        int hash = StringComparer.Ordinal.GetHashCode(value);
        int first = (hash & _setMask) * 2;
        string? a = Volatile.Read(ref _slots[first]);
        if (a is not null && string.Equals(a, value, StringComparison.Ordinal))
        {
            return a;
        }

        string? b = Volatile.Read(ref _slots[first + 1]);
        if (b is not null && string.Equals(b, value, StringComparison.Ordinal))
        {
            return b;
        }

        // Fill an empty way first; else a hash bit the set index did not use picks the way to replace.
        int way = a is null ? 0 : b is null ? 1 : (hash >>> 31) & 1;
        Volatile.Write(ref _slots[first + way], value);
        return value;
    }
}
