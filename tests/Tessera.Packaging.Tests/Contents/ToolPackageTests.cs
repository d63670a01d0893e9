using System.Xml.Linq;

namespace Tessera.Packaging.Tests.Contents;

/// <summary>The CLI's package is a .NET tool whose command is <c>tessera</c>, with its README and licence.</summary>
[Collection(PackedFeedCollection.Name)]
public sealed class ToolPackageTests(PackedFeed feed)
{
    [Fact]
    public void TheCliIsADotnetToolNamedTessera()
    {
        using var package = PackageArchive.Open(feed.PackageFile(LibraryIds.Tool));
        Assert.Contains(package.Nuspec.Descendants(), e => e.Name.LocalName == "packageType" && (string?)e.Attribute("name") == "DotnetTool");

        XDocument settings = XDocument.Parse(package.ReadText("tools/net10.0/any/DotnetToolSettings.xml"));
        XElement command = settings.Descendants("Command").Single();
        Assert.Equal("tessera", (string?)command.Attribute("Name"));
        Assert.Equal("Tessera.Cli.dll", (string?)command.Attribute("EntryPoint"));
        Assert.True(package.Has("tools/net10.0/any/Tessera.Cli.dll"));
    }

    [Fact]
    public void TheToolCarriesItsReadmeAndTheLicence()
    {
        using var package = PackageArchive.Open(feed.PackageFile(LibraryIds.Tool));
        Assert.Equal("README.md", package.Metadata("readme")?.Value);
        Assert.Contains("tessera", package.ReadText("README.md"), StringComparison.Ordinal);
        Assert.Equal("MIT", package.Metadata("license")?.Value);
        Assert.StartsWith("MIT License", package.ReadText("LICENSE"), StringComparison.Ordinal);
    }
}
