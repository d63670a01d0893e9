using System.Text.Json;
using System.Text.RegularExpressions;
using Tessera.Testing.Servers;

namespace Tessera.Packaging.Tests.Samples;

/// <summary>
/// Each app of samples/ copied out of the repository, restored from the packed feed (Tessera) and
/// the registry (everything else) into a fresh packages folder, built, and made to pass its own
/// tests: what a team starting from the packages would do. One restore and one test run per sample.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed partial class SampleAppTests(PackedFeed feed)
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData("ProtectedApi")]
    [InlineData("HostedTessera")]
    public async Task TheSampleBuildsAndPassesItsOwnTestsAgainstThePackedPackagesAlone(string sample)
    {
        using SampleWorkspace workspace = await SampleWorkspace.CreateAsync(sample, feed);
        string tests = Path.Combine(workspace.Folder, sample + ".Tests");
        string version = $"-p:TesseraVersion={feed.Version}";

        await ExternalCommand.RunAsync(DotnetCommand.Start(["restore", tests, version], workspace.Root, workspace.Packages), RestoreTimeout);
        AssertEveryTesseraPackageCameFromTheFeed(workspace);
        string output = await ExternalCommand.RunAsync(DotnetCommand.Start(["test", tests, "--no-restore", version], workspace.Root, workspace.Packages), TestTimeout);

        // dotnet test exits with 0 when no test ran at all; a sample whose tests vanished must fail here.
        Match summary = TestSummary().Match(output);
        Assert.True(summary.Success, $"No test summary in the output of 'dotnet test':\n{output}");
        Assert.Equal("0", summary.Groups["failed"].Value);
        Assert.True(int.Parse(summary.Groups["passed"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, $"No test of {sample} passed:\n{output}");
    }

    /// <summary>
    /// NuGet notes each package's origin in <c>.nupkg.metadata</c> beside it: every Tessera
    /// package restored must be the packed one, from the feed folder.
    /// </summary>
    private void AssertEveryTesseraPackageCameFromTheFeed(SampleWorkspace workspace)
    {
        string[] tessera = [.. Directory.EnumerateDirectories(workspace.Packages, "tessera*").Select(Path.GetFileName).OfType<string>()];
        Assert.Contains("tessera.aspnetcore", tessera);
        foreach (string id in tessera)
        {
            string[] versions = [.. Directory.EnumerateDirectories(Path.Combine(workspace.Packages, id)).Select(Path.GetFileName).OfType<string>()];
            Assert.Equal([feed.Version], versions);
            string metadata = Path.Combine(workspace.Packages, id, feed.Version, ".nupkg.metadata");
            string? source = JsonDocument.Parse(File.ReadAllText(metadata)).RootElement.GetProperty("source").GetString();
            Assert.Equal(Path.TrimEndingDirectorySeparator(feed.Folder), Path.TrimEndingDirectorySeparator(source ?? ""));
        }
    }

    // VSTest's closing line: "Passed!  - Failed:     0, Passed:     8, Skipped:     0, Total:     8, …".
    [GeneratedRegex(@"Failed:\s+(?<failed>\d+),\s+Passed:\s+(?<passed>\d+),")]
    private static partial Regex TestSummary();
}
