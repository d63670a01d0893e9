namespace Tessera.Packaging.Tests.Samples;

/// <summary>
/// docs/getting-started.md quotes the samples and the deploy files whole; the quotes must be the
/// files as they are (the tests build and run those files, so the page shows tested code).
/// </summary>
public sealed class GettingStartedQuotesTests
{
    [Theory]
    [InlineData("samples/HostedTessera/HostedTessera/Program.cs", "csharp")]
    [InlineData("samples/HostedTessera/HostedTessera/HostedTessera.csproj", "xml")]
    [InlineData("samples/ProtectedApi/ProtectedApi/Program.cs", "csharp")]
    [InlineData("deploy/systemd/tessera.service", "ini")]
    [InlineData("deploy/nginx/tessera-tls.conf", "nginx")]
    public void ThePageQuotesTheFileAsItIs(string file, string language)
    {
        string page = File.ReadAllText(Path.Combine(PackedFeed.RepositoryRoot, "docs", "getting-started.md")).ReplaceLineEndings("\n");
        string text = File.ReadAllText(Path.Combine(PackedFeed.RepositoryRoot, file)).ReplaceLineEndings("\n").TrimEnd('\n');

        Assert.True(page.Contains($"```{language}\n{text}\n```\n", StringComparison.Ordinal), $"docs/getting-started.md no longer quotes {file} as it is: copy the file into its ```{language} block again.");
    }
}
