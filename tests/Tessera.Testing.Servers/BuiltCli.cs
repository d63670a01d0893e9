namespace Tessera.Testing.Servers;

/// <summary>
/// The <c>tessera</c> CLI as built in its own output folder (src/Tessera.Cli/bin/CONFIG/TFM), run
/// with <c>dotnet Tessera.Cli.dll</c>. Not the copy in a test's own folder: that folder resolves the
/// test project's dependencies (the ASP.NET Core shared framework, say), not the CLI's, so an
/// assembly the CLI loads from its own packages may be missing there.
/// </summary>
public static class BuiltCli
{
    /// <summary>The full path of Tessera.Cli.dll for the configuration and framework the calling test was built with.</summary>
    public static string DllPath
    {
        get
        {
            // tests/PROJECT/bin/CONFIG/TFM/ → src/Tessera.Cli/bin/CONFIG/TFM/Tessera.Cli.dll
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string configuration = here.Parent!.Name;
            string root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            string cli = Path.Combine(root, "src", "Tessera.Cli", "bin", configuration, here.Name, "Tessera.Cli.dll");
            return File.Exists(cli) ? cli : throw new InvalidOperationException($"The CLI is not built at {cli}.");
        }
    }
}
