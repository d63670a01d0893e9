namespace Tessera.InMemory;

/// <summary>
/// The store's indexes are sets of the sessions themselves, keyed by a member (16 bytes a slot
/// instead of a dictionary's key and value), looked up by the bare key through .NET's alternate
/// lookup. A session's key must not change while it is in a set: the store removes it, changes the
/// key and adds it back, under its lock.
/// </summary>
internal static class CompactSessionComparers
{
    /// <summary>By <see cref="CompactSession.Handle"/> (ordinal).</summary>
    public static readonly IEqualityComparer<CompactSession> ByHandle = new HandleComparer();

    /// <summary>By the current secret hash.</summary>
    public static readonly IEqualityComparer<CompactSession> BySecretHash = new HashComparer(static s => s.SecretHash);

    /// <summary>By the previous secret hash (only sessions that rotated are in that set).</summary>
    public static readonly IEqualityComparer<CompactSession> ByPreviousHash = new HashComparer(static s => s.Extra!.PreviousSecretHash);

    private delegate ReadOnlySpan<byte> HashOf(CompactSession session);

    // SHA-256 output is uniform, but the seed is still the process's random one: a client who picks
    // secrets cannot pick buckets.
    private static int HashCodeOf(ReadOnlySpan<byte> bytes)
    {
        var hash = default(HashCode);
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }

    // A canonical 128-bit handle is held as its bytes, any other as its text; one handle has one
    // form, so the two never compare equal and each hashes its own form.
    private sealed class HandleComparer : IEqualityComparer<CompactSession>, IAlternateEqualityComparer<string, CompactSession>
    {
        public bool Equals(CompactSession? x, CompactSession? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && string.Equals(x.HandleText, y.HandleText, StringComparison.Ordinal) && x.HandleBytes.SequenceEqual(y.HandleBytes));

        public int GetHashCode(CompactSession obj) => obj.HandleText is { } text ? StringComparer.Ordinal.GetHashCode(text) : HashCodeOf(obj.HandleBytes);

        public bool Equals(string alternate, CompactSession other)
        {
            Span<byte> bytes = stackalloc byte[Bytes16.Length];
            return CompactHandle.TryDecode(alternate, bytes)
                ? other.HandleText is null && bytes.SequenceEqual(other.HandleBytes)
                : string.Equals(alternate, other.HandleText, StringComparison.Ordinal);
        }

        public int GetHashCode(string alternate)
        {
            Span<byte> bytes = stackalloc byte[Bytes16.Length];
            return CompactHandle.TryDecode(alternate, bytes) ? HashCodeOf(bytes) : StringComparer.Ordinal.GetHashCode(alternate);
        }

        public CompactSession Create(string alternate) => throw new NotSupportedException("Sessions are added whole.");
    }

    private sealed class HashComparer(HashOf hashOf) : IEqualityComparer<CompactSession>, IAlternateEqualityComparer<ReadOnlySpan<byte>, CompactSession>
    {
        public bool Equals(CompactSession? x, CompactSession? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && hashOf(x).SequenceEqual(hashOf(y)));

        public int GetHashCode(CompactSession obj) => HashCodeOf(hashOf(obj));

        public bool Equals(ReadOnlySpan<byte> alternate, CompactSession other) => alternate.SequenceEqual(hashOf(other));

        public int GetHashCode(ReadOnlySpan<byte> alternate) => HashCodeOf(alternate);

        public CompactSession Create(ReadOnlySpan<byte> alternate) => throw new NotSupportedException("Sessions are added whole.");
    }
}
