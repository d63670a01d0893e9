using System.Text.Json;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

public sealed class KeyCommandTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("HS256", "oct", "k")]
    [InlineData("RS256", "RSA", "d")]
    [InlineData("PS384", "RSA", "d")]
    [InlineData("ES256", "EC", "d")]
    [InlineData("ES512", "EC", "d")]
    [InlineData("EdDSA", "OKP", "d")]
    public async Task Generate_prints_a_private_jwk_for_the_algorithm(string alg, string kty, string privateMember)
    {
        JsonElement key = (await CliRunner.SucceedAsync("key", "generate", "--alg", alg)).Json();

        Assert.Equal(kty, key.GetProperty("kty").GetString());
        Assert.Equal(alg, key.GetProperty("alg").GetString());
        Assert.True(key.TryGetProperty(privateMember, out _), $"the JWK should hold '{privateMember}'");
    }

    [Fact]
    public async Task Generate_uses_the_rfc7638_thumbprint_as_the_default_kid()
    {
        string output = (await CliRunner.SucceedAsync("key", "generate", "--alg", "ES256")).Stdout;
        string file = _files.Write("key.json", output);

        string thumbprint = (await CliRunner.SucceedAsync("key", "thumbprint", file)).Stdout.Trim();

        Assert.Equal(thumbprint, JsonDocument.Parse(output).RootElement.GetProperty("kid").GetString());
    }

    [Fact]
    public async Task Generate_uses_the_given_kid()
    {
        JsonElement key = (await CliRunner.SucceedAsync("key", "generate", "--alg", "EdDSA", "--kid", "my-key")).Json();

        Assert.Equal("my-key", key.GetProperty("kid").GetString());
    }

    [Fact]
    public async Task Generate_makes_a_different_key_each_time()
    {
        string first = (await CliRunner.SucceedAsync("key", "generate", "--alg", "HS256")).Json().GetProperty("k").GetString()!;
        string second = (await CliRunner.SucceedAsync("key", "generate", "--alg", "HS256")).Json().GetProperty("k").GetString()!;

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--alg none")]
    [InlineData("--alg RSA")]
    [InlineData("--alg es256")]
    public async Task Generate_without_a_supported_alg_is_a_usage_error(string options)
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync(["key", "generate", .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)]));
    }

    [Fact]
    public async Task Generate_with_an_empty_kid_is_a_usage_error()
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync("key", "generate", "--alg", "ES256", "--kid", ""), "--kid");
    }

    [Theory]
    [InlineData("RS256", "d", "p", "q", "dp", "dq", "qi")]
    [InlineData("ES256", "d")]
    [InlineData("EdDSA", "d")]
    public async Task Public_reads_a_private_jwk_on_stdin_and_prints_it_without_private_members(string alg, params string[] privateMembers)
    {
        string privateJwk = (await CliRunner.SucceedAsync("key", "generate", "--alg", alg, "--kid", "k")).Stdout;

        JsonElement publicJwk = (await CliRunner.SucceedWithStdinAsync(privateJwk, "key", "public")).Json();

        foreach (string member in privateMembers)
        {
            Assert.False(publicJwk.TryGetProperty(member, out _), $"'{member}' must not be in the public JWK");
        }

        Assert.Equal("k", publicJwk.GetProperty("kid").GetString());
        Assert.Equal(alg, publicJwk.GetProperty("alg").GetString());
    }

    [Fact]
    public async Task Public_keeps_the_thumbprint_of_the_private_key()
    {
        string privateJwk = (await CliRunner.SucceedAsync("key", "generate", "--alg", "ES384")).Stdout;
        string publicJwk = (await CliRunner.SucceedWithStdinAsync(privateJwk, "key", "public", "-")).Stdout;

        string privateThumbprint = (await CliRunner.SucceedWithStdinAsync(privateJwk, "key", "thumbprint")).Stdout;
        string publicThumbprint = (await CliRunner.SucceedWithStdinAsync(publicJwk, "key", "thumbprint")).Stdout;

        Assert.Equal(privateThumbprint, publicThumbprint);
    }

    [Fact]
    public async Task Public_of_an_oct_key_fails_because_a_secret_has_no_public_form()
    {
        CliResult result = await CliRunner.RunWithStdinAsync(KnownKeys.Rfc7515HmacKey, "key", "public");

        CliRunner.AssertFailure(result, "key_invalid");
        Assert.Contains("no public form", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Thumbprint_of_the_rfc7638_example_key_from_stdin_is_the_published_one()
    {
        CliResult result = await CliRunner.SucceedWithStdinAsync(KnownKeys.Rfc7638RsaKey, "key", "thumbprint");

        Assert.Equal(KnownKeys.Rfc7638Thumbprint + "\n", result.Stdout);
    }

    [Fact]
    public async Task Thumbprint_of_the_rfc7638_example_key_from_a_file_is_the_published_one()
    {
        string file = _files.Write("rfc7638.json", KnownKeys.Rfc7638RsaKey);

        Assert.Equal(KnownKeys.Rfc7638Thumbprint, (await CliRunner.SucceedAsync("key", "thumbprint", file)).Stdout.Trim());
    }

    [Fact]
    public async Task Thumbprint_ignores_optional_members_and_their_order()
    {
        string reordered = """{"e":"AQAB","use":"sig","kid":"other","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","kty":"RSA"}""";

        Assert.Equal(KnownKeys.Rfc7638Thumbprint, (await CliRunner.SucceedWithStdinAsync(reordered, "key", "thumbprint")).Stdout.Trim());
    }

    [Theory]
    [InlineData("thumbprint")]
    [InlineData("public")]
    public async Task An_invalid_key_fails_with_key_invalid(string command)
    {
        CliRunner.AssertFailure(await CliRunner.RunWithStdinAsync("{\"kty\":\"RSA\"}", "key", command), "key_invalid");
        CliRunner.AssertFailure(await CliRunner.RunAsync("key", command, _files.Missing("none.json")), "key_invalid");
        CliRunner.AssertFailure(await CliRunner.RunWithStdinAsync(string.Empty, "key", command), "key_invalid");
    }
}
