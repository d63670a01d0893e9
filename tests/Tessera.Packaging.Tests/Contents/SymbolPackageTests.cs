using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Tessera.Packaging.Tests.Contents;

/// <summary>
/// The .snupkg beside each package holds the portable pdb of the very dll shipped, built
/// deterministically (/_/ paths), and a debugger can show the sources from it: every source file is
/// embedded (a clone without a GitHub remote gives SourceLink nothing to point at), or SourceLink maps them.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class SymbolPackageTests(PackedFeed feed)
{
    // Portable PDB custom debug information kinds (dotnet/runtime, docs/design/specs/PortablePdb-Metadata.md).
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static TheoryData<string> Libraries => new(LibraryIds.All);

    [Theory]
    [MemberData(nameof(Libraries))]
    public void TheSymbolPackageHoldsThePdbOfTheShippedDll(string id)
    {
        using var package = PackageArchive.Open(feed.PackageFile(id));
        using var symbols = PackageArchive.Open(feed.SymbolPackageFile(id));
        using var pe = new PEReader(new MemoryStream(package.Read($"lib/net10.0/{id}.dll")));
        using var pdb = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(symbols.Read($"lib/net10.0/{id}.pdb")));

        CodeViewDebugDirectoryData codeView = pe.ReadCodeViewDebugDirectoryData(pe.ReadDebugDirectory().Single(d => d.Type == DebugDirectoryEntryType.CodeView));
        var pdbId = new BlobContentId(pdb.GetMetadataReader().DebugMetadataHeader!.Id);
        Assert.Equal(codeView.Guid, pdbId.Guid);
        Assert.Contains(pe.ReadDebugDirectory(), d => d.IsPortableCodeView);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void ThePdbCarriesEverySourceWithDeterministicPaths(string id)
    {
        using var symbols = PackageArchive.Open(feed.SymbolPackageFile(id));
        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(symbols.Read($"lib/net10.0/{id}.pdb")));
        MetadataReader pdb = provider.GetMetadataReader();

        bool hasSourceLink = pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Any(h => pdb.GetGuid(pdb.GetCustomDebugInformation(h).Kind) == SourceLinkKind);
        string[] documents = pdb.Documents.Select(h => pdb.GetString(pdb.GetDocument(h).Name)).ToArray();
        string[] notEmbedded = pdb.Documents
            .Where(h => !pdb.GetCustomDebugInformation(h).Any(c => pdb.GetGuid(pdb.GetCustomDebugInformation(c).Kind) == EmbeddedSourceKind))
            .Select(h => pdb.GetString(pdb.GetDocument(h).Name))
            .ToArray();

        Assert.NotEmpty(documents);
        // ContinuousIntegrationBuild: the build machine's folders never reach the pdb.
        Assert.All(documents, d => Assert.StartsWith("/_/", d, StringComparison.Ordinal));
        Assert.True(hasSourceLink || notEmbedded.Length == 0, $"neither SourceLink nor embedded sources for: {string.Join(", ", notEmbedded)}");
    }
}
