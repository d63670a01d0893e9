using System.Security.Cryptography;

namespace Tessera.Jose.Keys;

/// <summary>
/// Keyed HMAC states for one key and hash, reused across calls. Keying an HMAC costs two extra
/// compression-function calls and a native context allocation; on short JWS inputs that is a
/// large share of the whole verification, so we key once and reset instead. A state is used by
/// one thread at a time: rent, use, return.
/// </summary>
internal sealed class HmacPool
{
    private readonly IncrementalHash?[] _slots = new IncrementalHash?[Math.Clamp(Environment.ProcessorCount * 2, 4, 64)];
    private readonly HashAlgorithmName _hash;
    private readonly byte[] _key;

    public HmacPool(HashAlgorithmName hash, byte[] key)
    {
        _hash = hash;
        _key = key;
    }

    public IncrementalHash Rent()
    {
        IncrementalHash?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            IncrementalHash? state = Interlocked.Exchange(ref slots[i], null);
            if (state is not null)
            {
                return state;
            }
        }

        return IncrementalHash.CreateHMAC(_hash, _key);
    }

    /// <summary>Returns a state that has just been reset by <c>TryGetHashAndReset</c>.</summary>
    public void Return(IncrementalHash state)
    {
        IncrementalHash?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref slots[i], state, null) is null)
            {
                return;
            }
        }

        state.Dispose();
    }

    /// <summary>
    /// True when <paramref name="mac"/> is the MAC of <paramref name="input"/>. The length is
    /// public; the bytes are compared in constant time.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> input, ReadOnlySpan<byte> mac)
    {
        Span<byte> expected = stackalloc byte[64];
        int written = Compute(input, expected);
        // The framework's constant-time compare, not one of ours: it is deliberately kept out of
        // the optimiser's reach, and a compare is a primitive we do not write ourselves.
        return mac.Length == written && CryptographicOperations.FixedTimeEquals(expected[..written], mac);
    }

    /// <summary>Computes the MAC of <paramref name="input"/> into <paramref name="destination"/>; returns the length written.</summary>
    public int Compute(ReadOnlySpan<byte> input, Span<byte> destination)
    {
        IncrementalHash state = Rent();
        int written;
        try
        {
            state.AppendData(input);
            written = state.GetHashAndReset(destination);
        }
        catch
        {
            // A state that failed mid-way is in an unknown condition: drop it rather than pool it.
            state.Dispose();
            throw;
        }

        Return(state);
        return written;
    }
}
