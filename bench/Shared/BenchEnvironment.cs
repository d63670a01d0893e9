namespace Tessera.Bench;

/// <summary>
/// What both benchmark programs need from their surroundings (linked into each, as a source file):
/// where the repository is, and how busy the machine is.
/// </summary>
internal static class BenchEnvironment
{
    /// <summary>The folder holding Tessera.slnx, at or above the current directory; null when none.</summary>
    public static string? FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tessera.slnx")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>The 1, 5 and 15 minute load averages, as /proc/loadavg gives them (Linux), else "n/a".</summary>
    public static string LoadAverage()
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{fields[0]}, {fields[1]}, {fields[2]}";
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }
}
