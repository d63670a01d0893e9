using Tessera.Packaging.Tests.Contents;
using Tessera.Testing.Servers;

namespace Tessera.Packaging.Tests.Tool;

/// <summary>
/// The CLI installed from the packed feed as a .NET tool, as a user would (<c>dotnet tool install</c>
/// into a tool path, a fresh packages folder), and run. Its package's shape is checked in
/// Contents/ToolPackageTests.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class ToolInstallTests(PackedFeed feed)
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task TheToolInstallsFromTheFeedAndItsHelpListsTheCommands()
    {
        string folder = Path.Combine(Path.GetTempPath(), "tessera-tool-" + Guid.NewGuid().ToString("N")[..8]);
        string toolPath = Path.Combine(folder, "tools");
        string packages = Path.Combine(folder, ".packages");
        Directory.CreateDirectory(packages);
        try
        {
            await ExternalCommand.RunAsync(DotnetCommand.Start(["tool", "install", LibraryIds.Tool, "--tool-path", toolPath, "--add-source", feed.Folder, "--version", feed.Version], folder, packages), InstallTimeout);

            string help = await ExternalCommand.RunAsync(DotnetCommand.Program(Path.Combine(toolPath, "tessera"), ["--help"], folder), TimeSpan.FromMinutes(1));

            // System.CommandLine's help: a "Commands:" section, one indented line per command.
            Assert.Contains("Commands:", help, StringComparison.Ordinal);
            foreach (string command in (string[])["jwt", "key", "user", "client"])
            {
                Assert.Matches($@"(?m)^\s+{command}\s", help);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
