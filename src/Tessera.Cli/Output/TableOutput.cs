namespace Tessera.Cli.Output;

/// <summary>Plain text tables for people: a header row, columns padded with two spaces, no borders; empty cells as <c>-</c>.</summary>
internal static class TableOutput
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        List<string[]> all = [[.. headers], .. rows.Select(r => r.Select(c => c.Length == 0 ? "-" : c).ToArray())];
        int[] widths = [.. Enumerable.Range(0, headers.Count).Select(i => all.Max(r => r[i].Length))];
        foreach (string[] row in all)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
