using System.Text.Json;

namespace Tessera.Jose.Json;

/// <summary>
/// The fast-path duplicate check for the top level of a small JSON object: remembers where each
/// (unescaped) member name sits in the source and compares new names against them. Escaped names
/// and objects with many members are left to the strict document parser.
/// </summary>
internal static class MemberNames
{
    /// <summary>False when the name at the reader repeats an earlier one.</summary>
    public static bool TryRemember(ReadOnlySpan<byte> source, scoped ref Utf8JsonReader reader, scoped Span<long> names, ref int count)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            count++;
            return true;
        }

        ReadOnlySpan<byte> name = reader.ValueSpan;
        int seen = Math.Min(count, names.Length);
        for (int i = 0; i < seen; i++)
        {
            long packed = names[i];
            if (source.Slice((int)(packed >> 32), (int)packed).SequenceEqual(name))
            {
                return false;
            }
        }

        if (count < names.Length)
        {
            source.Overlaps(name, out int offset);
            names[count] = ((long)offset << 32) | (uint)name.Length;
        }

        count++;
        return true;
    }
}
