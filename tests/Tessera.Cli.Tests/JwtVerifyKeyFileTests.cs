using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>Key files that cannot be used: exit 1 with key_invalid, never a stack trace.</summary>
public class JwtVerifyKeyFileTests(VerifyKeys keys) : IClassFixture<VerifyKeys>
{
    private Task<CliResult> VerifyWithAsync(string option, string file) =>
        CliRunner.RunAsync("jwt", "verify", TestTokens.Sign(keys.Signer), option, file, "--now", TestTokens.NowArg);

    [Theory]
    [InlineData("--jwk")]
    [InlineData("--jwks")]
    public async Task A_missing_key_file_fails_with_key_invalid(string option)
    {
        CliResult result = await VerifyWithAsync(option, keys.Files.Missing("nope.json"));

        CliRunner.AssertFailure(result, "key_invalid");
        Assert.Contains("no such file", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--jwk")]
    [InlineData("--jwks")]
    public async Task A_directory_instead_of_a_key_file_fails_with_key_invalid(string option)
    {
        CliRunner.AssertFailure(await VerifyWithAsync(option, keys.Files.Directory), "key_invalid");
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[]")]
    [InlineData("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"}")]
    [InlineData("{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}")]
    [InlineData("{\"kty\":\"oct\",\"k\":\"\"}")]
    [InlineData("{\"kty\":\"unknown\"}")]
    public async Task An_invalid_jwk_fails_with_key_invalid(string content)
    {
        using var files = new TempFiles();

        CliResult result = await VerifyWithAsync("--jwk", files.Write("bad.json", content));

        CliRunner.AssertFailure(result, "key_invalid");
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_file_that_is_not_utf8_fails_with_key_invalid()
    {
        using var files = new TempFiles();
        string path = files.Missing("binary.json");
        await File.WriteAllBytesAsync(path, [0x7B, 0xFF, 0xFE, 0x7D]);

        CliRunner.AssertFailure(await VerifyWithAsync("--jwk", path), "key_invalid");
    }

    [Fact]
    public async Task A_jwk_set_given_to_jwk_fails_with_a_hint_to_use_jwks()
    {
        CliResult result = await VerifyWithAsync("--jwk", keys.SetFile);

        CliRunner.AssertFailure(result, "key_invalid");
        Assert.Contains("--jwks", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"keys\":\"not an array\"}")]
    [InlineData("{\"nokeys\":[]}")]
    [InlineData("{\"keys\":[]}")]
    [InlineData("{\"keys\":[{\"kty\":\"unknown\"}]}")]
    public async Task A_jwk_set_without_usable_keys_fails_with_key_invalid(string content)
    {
        using var files = new TempFiles();

        CliRunner.AssertFailure(await VerifyWithAsync("--jwks", files.Write("set.json", content)), "key_invalid");
    }

    [Fact]
    public async Task Error_messages_about_a_secret_key_file_do_not_echo_the_secret()
    {
        // A secret that is not canonical base64url: rejected, and not printed.
        using var files = new TempFiles();
        const string Secret = "TOP-SECRET-VALUE-DO-NOT-PRINT==";
        string path = files.Write("secret.json", $"{{\"kty\":\"oct\",\"k\":\"{Secret}\"}}");

        CliResult result = await VerifyWithAsync("--jwk", path);

        CliRunner.AssertFailure(result, "key_invalid");
        Assert.DoesNotContain("TOP-SECRET", result.Stderr, StringComparison.Ordinal);
    }
}
