namespace Tessera.Packaging.Tests.Samples;

/// <summary>
/// One sample of samples/ copied to a temporary folder with the samples' own Directory.*.props
/// and a NuGet.config that knows only the packed feed and the registry: outside the repository,
/// so no ProjectReference into src/ and no repository-wide MSBuild file can reach it. Its NuGet
/// packages folder is fresh too, so no copy of a package cached earlier can be used.
/// </summary>
internal sealed class SampleWorkspace : IDisposable
{
    private static readonly string[] SharedFiles = ["Directory.Build.props", "Directory.Packages.props"];
    private static readonly HashSet<string> BuildOutput = new(StringComparer.Ordinal) { "bin", "obj" };

    private SampleWorkspace(string root, string sample)
    {
        Root = root;
        Sample = sample;
    }

    /// <summary>The temporary folder (the copied props and NuGet.config, the sample's folder, the packages folder).</summary>
    public string Root { get; }

    public string Sample { get; }

    /// <summary>The sample's folder inside <see cref="Root"/>.</summary>
    public string Folder => Path.Combine(Root, Sample);

    /// <summary>NuGet's global packages folder for every command in this workspace.</summary>
    public string Packages => Path.Combine(Root, ".packages");

    public static async Task<SampleWorkspace> CreateAsync(string sample, PackedFeed feed)
    {
        string samples = Path.Combine(PackedFeed.RepositoryRoot, "samples");
        string source = Path.Combine(samples, sample);
        if (!Directory.Exists(source))
        {
            throw new InvalidOperationException($"There is no sample {source}.");
        }

        var workspace = new SampleWorkspace(Path.Combine(Path.GetTempPath(), "tessera-samples", $"{sample}-{Guid.NewGuid().ToString("N")[..8]}"), sample);
        Directory.CreateDirectory(workspace.Packages);
        foreach (string file in SharedFiles)
        {
            File.Copy(Path.Combine(samples, file), Path.Combine(workspace.Root, file));
        }

        CopyTree(source, workspace.Folder);
        await FeedNuGetConfig.WriteAsync(workspace.Root, feed.Folder);
        return workspace;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    /// <summary>The sample's sources only: a bin/ or obj/ left by building it in place is not copied.</summary>
    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (string folder in Directory.EnumerateDirectories(from).Where(f => !BuildOutput.Contains(Path.GetFileName(f))))
        {
            CopyTree(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }
}
