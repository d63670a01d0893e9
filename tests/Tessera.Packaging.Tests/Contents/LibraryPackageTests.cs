using System.Xml.Linq;

namespace Tessera.Packaging.Tests.Contents;

/// <summary>
/// What a library package carries for the people who install it: its README, the MIT licence, the
/// XML documentation next to the dll, and its Tessera dependencies as packages at its own version.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class LibraryPackageTests(PackedFeed feed)
{
    public static TheoryData<string> Libraries => new(LibraryIds.All);

    [Theory]
    [MemberData(nameof(Libraries))]
    public void TheReadmeIsThePackagesOwn(string id)
    {
        using var package = PackageArchive.Open(feed.PackageFile(id));
        Assert.Equal("README.md", package.Metadata("readme")?.Value);
        string readme = package.ReadText("README.md");
        // Its own README (src/ID/README.md), not the repository's: the first line names the package.
        Assert.StartsWith($"# {id}\n", readme.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"dotnet add package {id}", readme, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void TheLicenceIsMit(string id)
    {
        using var package = PackageArchive.Open(feed.PackageFile(id));
        XElement license = package.Metadata("license") ?? throw new Xunit.Sdk.XunitException("the nuspec has no <license>");
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);
        Assert.StartsWith("MIT License", package.ReadText("LICENSE"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void TheXmlDocumentationSitsNextToTheDll(string id)
    {
        using var package = PackageArchive.Open(feed.PackageFile(id));
        Assert.True(package.Has($"lib/net10.0/{id}.dll"), $"lib/net10.0/{id}.dll is missing: {string.Join(", ", package.EntryNames)}");
        XDocument docs = XDocument.Parse(package.ReadText($"lib/net10.0/{id}.xml"));
        Assert.Equal(id, docs.Root?.Element("assembly")?.Element("name")?.Value);
        Assert.NotEmpty(docs.Root!.Element("members")!.Elements("member"));
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void TesseraDependenciesArePackagesAtTheSameVersion(string id)
    {
        using var package = PackageArchive.Open(feed.PackageFile(id));
        XElement[] tesseraDependencies = package.Nuspec.Descendants()
            .Where(e => e.Name.LocalName == "dependency" && ((string?)e.Attribute("id"))?.StartsWith("Tessera", StringComparison.Ordinal) == true)
            .ToArray();
        Assert.Equal(
            LibraryIds.TesseraDependencies[id].Order(StringComparer.Ordinal),
            tesseraDependencies.Select(e => (string)e.Attribute("id")!).Order(StringComparer.Ordinal));
        Assert.All(tesseraDependencies, e => Assert.Equal(feed.Version, (string?)e.Attribute("version")));
    }
}
