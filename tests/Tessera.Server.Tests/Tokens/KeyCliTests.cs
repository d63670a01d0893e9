using System.Diagnostics;
using System.Text.Json;

namespace Tessera.Server.Tests.Tokens;

/// <summary><c>tessera key list|rotate --data DIR</c> against the data folder of a running server.</summary>
public sealed class KeyCliTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    private static async Task<(int ExitCode, string Stdout, string Stderr)> TesseraAsync(params string[] args)
    {
        // tests/Tessera.Server.Tests/bin/CONFIG/net10.0/ → src/Tessera.Cli/bin/CONFIG/net10.0/tessera.dll
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = here.Parent!.Name;
        string root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        string cli = Path.Combine(root, "src", "Tessera.Cli", "bin", configuration, here.Name, "tessera.dll");
        Assert.True(File.Exists(cli), $"The CLI is not built at {cli}.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task AKeyRotatedWithTheCliIsPublishedThenSignsWhileTheOldTokensStayValid()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement before = await client.RegisterAndSignInForTokensAsync("alice");
        string oldKid = TokenHttp.Part(before.Access(), 0).GetProperty("kid").GetString()!;
        string now = _server.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var listed = await TesseraAsync("key", "list", "--data", _server.DataDirectory, "--now", now);
        var rotated = await TesseraAsync("key", "rotate", "--data", _server.DataDirectory, "--now", now, "--lead", "10m");

        Assert.True(listed.ExitCode == 0, listed.Stderr);
        JsonElement only = Assert.Single(JsonDocument.Parse(listed.Stdout).RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal(oldKid, only.GetProperty("kid").GetString());
        Assert.Equal("signing", only.GetProperty("status").GetString());
        Assert.True(rotated.ExitCode == 0, rotated.Stderr);
        JsonElement newKey = JsonDocument.Parse(rotated.Stdout).RootElement;
        Assert.False(newKey.TryGetProperty("d", out _));
        string newKid = newKey.GetProperty("kid").GetString()!;

        _server.Time.Advance(TimeSpan.FromMinutes(1)); // the server reads the ring again
        Assert.Contains(newKid, await client.GetStringAsync("/.well-known/jwks.json"), StringComparison.Ordinal);
        Assert.Equal(oldKid, TokenHttp.Part((await client.SignInForTokensAsync("alice")).Access(), 0).GetProperty("kid").GetString());

        _server.Time.Advance(TimeSpan.FromMinutes(9));
        JsonElement after = await client.SignInForTokensAsync("alice");
        Assert.Equal(newKid, TokenHttp.Part(after.Access(), 0).GetProperty("kid").GetString());
        await (await client.GetWithBearerAsync("/auth/me", after.Access())).AssertOkJsonAsync();
    }

    [Fact]
    public async Task TheCliSaysSoWhenTheFolderHoldsNoDatabase()
    {
        var result = await TesseraAsync("key", "list", "--data", Path.Combine(Path.GetTempPath(), "no-such-tessera-folder"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: input_unreadable:", result.Stderr, StringComparison.Ordinal);
    }
}
