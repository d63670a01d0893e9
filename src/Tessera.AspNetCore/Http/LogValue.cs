using System.Globalization;
using System.Text;

namespace Tessera.AspNetCore.Http;

/// <summary>
/// A request-supplied value made safe for one log line (OWASP ASVS 5 V16.4.1, CWE-117): control
/// characters (C0, DEL, C1), line and paragraph separators and the Unicode bidirectional controls
/// (Trojan Source, CVE-2021-42574) are written as escapes, so a client cannot forge log lines,
/// send terminal escape sequences or reorder what an operator reads. The backslash is escaped too,
/// so an escape in the output always means one in the input. Long values are cut.
/// </summary>
public static class LogValue
{
    /// <summary>More than any real User-Agent or Origin; a longer value is cut and marked.</summary>
    public const int MaximumLength = 512;

    /// <paramref name="value"/> with control and bidirectional characters escaped and cut to <see cref="MaximumLength"/> (marked); empty when null.
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value ?? "";
        }

        ReadOnlySpan<char> text = value.AsSpan(0, Math.Min(value.Length, MaximumLength));
        if (!NeedsEscaping(text) && value.Length <= MaximumLength)
        {
            return value;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            switch (c)
            {
                case '\\': escaped.Append(@"\\"); break;
                case '\r': escaped.Append(@"\r"); break;
                case '\n': escaped.Append(@"\n"); break;
                case '\t': escaped.Append(@"\t"); break;
                default:
                    if (IsUnsafe(c))
                    {
                        escaped.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        escaped.Append(c);
                    }

                    break;
            }
        }

        if (value.Length > MaximumLength)
        {
            escaped.Append("…(").Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(" chars)");
        }

        return escaped.ToString();
    }

    private static bool NeedsEscaping(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (c == '\\' || IsUnsafe(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUnsafe(char c) =>
        c < 0x20 || (c >= 0x7F && c <= 0x9F)
        // Line and paragraph separators end a line in many viewers.
        || c is '\u2028' or '\u2029'
        // Bidirectional controls: ALM, LRM, RLM, the embeddings and overrides, the isolates.
        || c is '\u061C' or '\u200E' or '\u200F' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
        // A lone surrogate is not text.
        || char.IsSurrogate(c);
}
