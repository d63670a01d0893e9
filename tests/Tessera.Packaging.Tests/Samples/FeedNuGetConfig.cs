using System.Diagnostics;
using System.Security;
using Tessera.Testing.Servers;

namespace Tessera.Packaging.Tests.Samples;

/// <summary>
/// A NuGet.config for a sample copied out of the repository: the packed feed plus the package
/// sources this machine is configured with, where package source mapping takes every Tessera
/// package from the feed alone (NuGet's "most specific pattern wins" rule), so a Tessera package
/// of the same id on the registry can never stand in for the packed one.
/// </summary>
internal static class FeedNuGetConfig
{
    public const string FeedKey = "tessera-packed-feed";

    private static readonly Lazy<Task<IReadOnlyList<string>>> ConfiguredSources = new(ReadConfiguredSourcesAsync);

    /// <summary>Writes NuGet.config into <paramref name="folder"/>.</summary>
    public static async Task WriteAsync(string folder, string feedFolder)
    {
        IReadOnlyList<string> registries = await ConfiguredSources.Value;
        string sources = string.Join("\n", registries.Select((url, i) => $"""    <add key="registry-{i}" value="{SecurityElement.Escape(url)}" />"""));
        string mappings = string.Join("\n", registries.Select((_, i) => $"""    <packageSource key="registry-{i}"><package pattern="*" /></packageSource>"""));
        string config = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="{FeedKey}" value="{SecurityElement.Escape(feedFolder)}" />
            {sources}
              </packageSources>
              <packageSourceMapping>
                <clear />
                <packageSource key="{FeedKey}">
                  <package pattern="Tessera" />
                  <package pattern="Tessera.*" />
                </packageSource>
            {mappings}
              </packageSourceMapping>
            </configuration>
            """;
        await File.WriteAllTextAsync(Path.Combine(folder, "NuGet.config"), config);
    }

    /// <summary>The enabled sources of the repository's NuGet configuration (user-wide and machine-wide included), as <c>dotnet nuget list source</c> reports them.</summary>
    private static async Task<IReadOnlyList<string>> ReadConfiguredSourcesAsync()
    {
        ProcessStartInfo start = DotnetCommand.Start(["nuget", "list", "source", "--format", "Short"], PackedFeed.RepositoryRoot);
        string output = await ExternalCommand.RunAsync(start, TimeSpan.FromMinutes(1));
        List<string> sources = [.. output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())];
        return sources.Count > 0 ? sources : throw new InvalidOperationException($"No enabled NuGet source is configured; 'dotnet nuget list source' said:\n{output}");
    }
}
