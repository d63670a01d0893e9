using SharpFuzz;
using Tessera.Fuzz;

// Usage (fuzz/README.md):
//   Tessera.Fuzz TARGET                 under afl-fuzz (fuzz/run.sh): reads inputs from AFL, one per run
//   Tessera.Fuzz TARGET FILE|DIR...      replays files in process and prints each verdict (triage)
if (args.Length == 0 || !FuzzTargets.Names.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: Tessera.Fuzz TARGET [FILE|DIR...]; targets: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}

string target = args[0];
if (args.Length == 1)
{
    // Out of process: a hang (afl-fuzz -t) or a StackOverflow kills only the child, and the
    // input is recorded instead of the whole run ending.
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        FuzzTargets.Run(target, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
    return 0;
}

int failed = 0;
foreach (string path in args[1..].SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]).Order(StringComparer.Ordinal))
{
    try
    {
        FuzzTargets.Run(target, File.ReadAllBytes(path));
        Console.WriteLine($"ok    {path}");
    }
#pragma warning disable CA1031 // Triage reports every failure, whatever it is, and goes on to the next input.
    catch (Exception e)
#pragma warning restore CA1031
    {
        failed++;
        Console.WriteLine($"FAIL  {path}: {e}");
    }
}

return failed == 0 ? 0 : 1;
