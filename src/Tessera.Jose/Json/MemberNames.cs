using System.Text.Json;

namespace Tessera.Jose.Json;

/// <summary>
/// The fast-path duplicate check for the top level of a small JSON object: remembers each
/// (unescaped) member name and compares new names against them. Escaped names and objects with
/// many members are left to the strict document parser.
/// </summary>
internal static class MemberNames
{
    // A slot holds a name of up to 7 bytes inline — its length in bits 56-58, its bytes below —
    // so that comparing two short names is comparing two longs. A longer name is stored as where
    // it sits in the source: the LongName tag, its offset in bits 32-62 and its length below.
    // An empty slot (an escaped name's) is 0, which is also the empty name, as it always was.
    private const int MaxInlineLength = 7;
    private const long LongName = long.MinValue;

    /// <summary>False when the name at the reader repeats an earlier one.</summary>
    public static bool TryRemember(ReadOnlySpan<byte> source, scoped ref Utf8JsonReader reader, scoped Span<long> names, ref int count)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            count++;
            return true;
        }

        return TryRemember(source, reader.ValueSpan, names, ref count);
    }

    /// <summary>False when <paramref name="name"/>, an unescaped member name that is a slice of <paramref name="source"/>, repeats an earlier one.</summary>
    public static bool TryRemember(ReadOnlySpan<byte> source, ReadOnlySpan<byte> name, scoped Span<long> names, ref int count)
    {
        int seen = Math.Min(count, names.Length);
        long slot;
        if (name.Length <= MaxInlineLength)
        {
            slot = (long)name.Length << 56;
            for (int i = 0; i < name.Length; i++)
            {
                slot |= (long)name[i] << (8 * i);
            }

            for (int i = 0; i < seen; i++)
            {
                if (names[i] == slot)
                {
                    return false;
                }
            }
        }
        else
        {
            for (int i = 0; i < seen; i++)
            {
                long other = names[i];
                if (other < 0 && (int)other == name.Length && source.Slice((int)((other & ~LongName) >> 32), name.Length).SequenceEqual(name))
                {
                    return false;
                }
            }

            slot = 0;
            if (count < names.Length)
            {
                source.Overlaps(name, out int offset);
                slot = LongName | ((long)offset << 32) | (uint)name.Length;
            }
        }

        if (count < names.Length)
        {
            names[count] = slot;
        }

        count++;
        return true;
    }
}
