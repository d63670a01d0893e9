namespace Tessera.Packaging.Tests;

/// <summary>The feed holds one package per packable project, at the test version.</summary>
[Collection(PackedFeedCollection.Name)]
public sealed class PackedFeedTests(PackedFeed feed)
{
    [Theory]
    [InlineData("Tessera.Jose")]
    [InlineData("Tessera")]
    [InlineData("Tessera.AspNetCore")]
    [InlineData("Tessera.Sqlite")]
    [InlineData("Tessera.PostgreSql")]
    [InlineData("Tessera.Redis")]
    public void EveryLibraryIsPacked(string id) => Assert.True(File.Exists(feed.PackageFile(id)), $"{feed.PackageFile(id)} is missing; the feed holds: {string.Join(", ", Directory.GetFiles(feed.Folder).Select(Path.GetFileName))}");
}
