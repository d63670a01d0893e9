using System.Diagnostics;
using Tessera.Testing.Servers;

namespace Tessera.Packaging.Tests;

/// <summary>
/// The packable projects packed once per test run into a fresh folder feed, at a version of their
/// own (so a sample restoring from the feed can never pick up a package from anywhere else). Shared
/// by every test class of the collection <see cref="PackedFeedCollection"/>.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The repository's root (where Tessera.slnx is).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The folder feed holding the .nupkg and .snupkg files.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "tessera-feed-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The version every package was packed with.</summary>
    public string Version { get; } = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The path of the package <paramref name="id"/> in the feed.</summary>
    public string PackageFile(string id) => Path.Combine(Folder, $"{id}.{Version}.nupkg");

    /// <summary>The path of the symbol package <paramref name="id"/> in the feed.</summary>
    public string SymbolPackageFile(string id) => Path.Combine(Folder, $"{id}.{Version}.snupkg");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        // The same script a release runs (build/pack.sh: build/packages.slnx in one Release build).
        ProcessStartInfo start = ExternalCommand.For("bash", [Path.Combine(RepositoryRoot, "build", "pack.sh"), Folder, Version]);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        await ExternalCommand.RunAsync(start, PackTimeout);
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }

        return Task.CompletedTask;
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Tessera.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Tessera.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The test classes that share one <see cref="PackedFeed"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "packed feed";
}
