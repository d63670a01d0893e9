using System.IO.Compression;
using System.Xml.Linq;

namespace Tessera.Packaging.Tests.Contents;

/// <summary>A .nupkg or .snupkg opened for reading: its entries and its nuspec.</summary>
internal sealed class PackageArchive : IDisposable
{
    private readonly ZipArchive _zip;

    private PackageArchive(string path)
    {
        Assert.True(File.Exists(path), $"{path} is missing");
        _zip = ZipFile.OpenRead(path);
        ZipArchiveEntry nuspec = _zip.Entries.Single(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using Stream stream = nuspec.Open();
        Nuspec = XDocument.Load(stream);
    }

    public XDocument Nuspec { get; }

    public IEnumerable<string> EntryNames => _zip.Entries.Select(e => e.FullName);

    public static PackageArchive Open(string path) => new(path);

    /// <summary>The nuspec's metadata element named <paramref name="name"/>, whatever the nuspec namespace.</summary>
    public XElement? Metadata(string name) =>
        Nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata").Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public bool Has(string entry) => _zip.GetEntry(entry) is not null;

    public byte[] Read(string entry)
    {
        ZipArchiveEntry found = _zip.GetEntry(entry) ?? throw new Xunit.Sdk.XunitException($"{entry} is not in the package; it holds: {string.Join(", ", EntryNames)}");
        using Stream stream = found.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The entry as text; a byte order mark (NuGet writes one in DotnetToolSettings.xml) is not part of it.</summary>
    public string ReadText(string entry)
    {
        using var reader = new StreamReader(new MemoryStream(Read(entry)), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    public void Dispose() => _zip.Dispose();
}
