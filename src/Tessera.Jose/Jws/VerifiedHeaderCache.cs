using Tessera.Jose.Algorithms;

namespace Tessera.Jose.Jws;

/// <summary>
/// The protected headers of the last few (8) tokens that verified under one set of rules, by their
/// exact base64url bytes. A token's header is a pure function of those bytes, and an issuer puts
/// the same header on every token it signs, so a header met again needs neither decoding nor
/// parsing: what reading it established (alg, kid, typ) is taken from here. Everything that
/// depends on the rules or the key — the algorithm allow-list, the type, key selection, the
/// signature — is still checked on every token. Only headers of tokens whose signature verified
/// are added (so forged tokens cannot churn it), and only those the fast path read completely
/// (no <c>crit</c>, nothing left to the strict parser). Thread-safe: entries are immutable and
/// slots are replaced whole.
/// </summary>
internal sealed class VerifiedHeaderCache
{
    /// <summary>Headers longer than this (base64url characters) are not remembered.</summary>
    public const int MaxEncodedLength = 512;

    private const int Capacity = 8;

    private readonly Entry?[] _entries = new Entry?[Capacity];
    private int _added;

    /// <summary>The remembered header whose encoding is exactly <paramref name="encodedHeader"/>, or null.</summary>
    public Entry? Find(ReadOnlySpan<byte> encodedHeader)
    {
        Entry?[] entries = _entries;
        for (int i = 0; i < entries.Length; i++)
        {
            Entry? entry = Volatile.Read(ref entries[i]);
            if (entry is not null && encodedHeader.SequenceEqual(entry.Encoded))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>Remembers a header that was read on the fast path and whose token verified, replacing the oldest.</summary>
    public void Add(ReadOnlySpan<byte> encodedHeader, in JwsHeaderFacts facts)
    {
        if (encodedHeader.Length > MaxEncodedLength || facts.NeedsFullCheck || facts.HasCrit)
        {
            return;
        }

        var entry = new Entry(
            encodedHeader.ToArray(),
            facts.Algorithm,
            facts.HasKeyId ? new string(facts.KeyId) : null,
            facts.HasType ? new string(facts.Type) : null);
        int slot = (int)((uint)Interlocked.Increment(ref _added) % Capacity);
        Volatile.Write(ref _entries[slot], entry);
    }

    /// <summary>What reading one header established.</summary>
    public sealed class Entry(byte[] encoded, JwsAlgorithm algorithm, string? keyId, string? type)
    {
        public byte[] Encoded { get; } = encoded;

        public JwsAlgorithm Algorithm { get; } = algorithm;

        public string? KeyId { get; } = keyId;

        public string? Type { get; } = type;

        public JwsHeaderFacts ToFacts() => new()
        {
            Algorithm = Algorithm,
            KeyId = KeyId,
            HasKeyId = KeyId is not null,
            Type = Type,
            HasType = Type is not null,
        };
    }
}
