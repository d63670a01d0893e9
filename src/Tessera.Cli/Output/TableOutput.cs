namespace Tessera.Cli.Output;

/// <summary>
/// Plain text tables for people: a header row, columns padded with two spaces, no borders; empty
/// cells as <c>-</c>. Control characters in a cell are shown escaped (<c>\u001B</c>): cells carry
/// text others chose (a user agent, the name tried at a failed sign-in), which must not move the
/// cursor, break a row or send escape sequences to the operator's terminal.
/// </summary>
internal static class TableOutput
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        List<string[]> all = [[.. headers], .. rows.Select(r => r.Select(c => c.Length == 0 ? "-" : Printable(c)).ToArray())];
        int[] widths = [.. Enumerable.Range(0, headers.Count).Select(i => all.Max(r => r[i].Length))];
        foreach (string[] row in all)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    /// <summary><paramref name="cell"/> with every control character (C0, DEL, C1) written as <c>\uXXXX</c>.</summary>
    public static string Printable(string cell)
    {
        if (!cell.Any(char.IsControl))
        {
            return cell;
        }

        var text = new System.Text.StringBuilder(cell.Length + 16);
        foreach (char c in cell)
        {
            if (char.IsControl(c))
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
