using System.IO.Compression;
using System.Xml.Linq;
using Tessera.Testing.Servers;

namespace Tessera.Packaging.Tests.Tool;

/// <summary>The CLI installed from the packed feed as a .NET tool, as a user would (<c>dotnet tool install</c>), and run.</summary>
[Collection(PackedFeedCollection.Name)]
public sealed class ToolInstallTests(PackedFeed feed)
{
    /// <summary>The package id the issue names: <c>dotnet tool install tessera</c>.</summary>
    public const string ToolPackageId = "tessera";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void TheFeedHoldsTheToolAsADotnetToolPackage()
    {
        string package = feed.PackageFile(ToolPackageId);
        Assert.True(File.Exists(package), $"{package} is missing; the feed holds: {string.Join(", ", Directory.GetFiles(feed.Folder).Select(Path.GetFileName))}");

        Assert.Contains("DotnetTool", PackageTypes(package));
    }

    [Fact]
    public async Task TheToolInstallsFromTheFeedAndPrintsItsCommands()
    {
        string folder = Path.Combine(Path.GetTempPath(), "tessera-tool-" + Guid.NewGuid().ToString("N")[..8]);
        string toolPath = Path.Combine(folder, "tools");
        string packages = Path.Combine(folder, ".packages");
        Directory.CreateDirectory(packages);
        try
        {
            await ExternalCommand.RunAsync(DotnetCommand.Start(["tool", "install", ToolPackageId, "--tool-path", toolPath, "--add-source", feed.Folder, "--version", feed.Version], folder, packages), InstallTimeout);

            string help = await ExternalCommand.RunAsync(DotnetCommand.Program(Path.Combine(toolPath, "tessera"), ["--help"], folder), TimeSpan.FromMinutes(1));

            foreach (string command in (string[])["jwt", "key", "user", "client"])
            {
                Assert.Matches($@"(?m)^\s+{command}\b", help);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The package types the .nuspec declares (none means an ordinary dependency package).</summary>
    private static IEnumerable<string> PackageTypes(string package)
    {
        using ZipArchive archive = ZipFile.OpenRead(package);
        ZipArchiveEntry nuspec = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) && !e.FullName.Contains('/', StringComparison.Ordinal));
        using Stream stream = nuspec.Open();
        XDocument document = XDocument.Load(stream);
        return [.. document.Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => (string?)e.Attribute("name") ?? "")];
    }
}
