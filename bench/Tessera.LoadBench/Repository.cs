namespace Tessera.LoadBench;

public static class Repository
{
    /// <summary>The folder holding Tessera.slnx, at or above the current directory; null when none.</summary>
    public static string? FindRoot()
    {
        for (DirectoryInfo? folder = new(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Tessera.slnx")))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
