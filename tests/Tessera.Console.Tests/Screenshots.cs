namespace Tessera.Console.Tests;

/// <summary>
/// Screenshots go under the test output (screenshots/NAME.png). With TESSERA_UPDATE_SCREENSHOTS=1
/// they also replace the committed ones in docs/console/, which the README shows.
/// </summary>
internal static class Screenshots
{
    public static string OutputDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static void Save(string name, byte[] png)
    {
        Directory.CreateDirectory(OutputDirectory);
        File.WriteAllBytes(Path.Combine(OutputDirectory, $"{name}.png"), png);
        if (Environment.GetEnvironmentVariable("TESSERA_UPDATE_SCREENSHOTS") == "1")
        {
            string docs = Path.Combine(RepositoryRoot(), "docs", "console");
            Directory.CreateDirectory(docs);
            File.WriteAllBytes(Path.Combine(docs, $"{name}.png"), png);
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Tessera.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Tessera.slnx not found above the test output.");
    }
}
