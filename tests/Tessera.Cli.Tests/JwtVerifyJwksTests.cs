using System.Diagnostics;
using Tessera.Cli.Tests.Support;
using Tessera.Jose.Keys;

namespace Tessera.Cli.Tests;

public class JwtVerifyJwksTests(VerifyKeys keys) : IClassFixture<VerifyKeys>
{
    private static readonly CliSetup ShortTimeout = new() { JwksTimeout = TimeSpan.FromSeconds(1) };

    private Task<CliResult> VerifyAsync(string jwks, CliSetup? setup = null, string? token = null) =>
        CliRunner.RunAsync(setup ?? new CliSetup(), "jwt", "verify", token ?? TestTokens.Sign(keys.Signer), "--jwks", jwks, "--now", TestTokens.NowArg);

    [Fact]
    public async Task A_jwks_file_verifies_with_the_key_the_tokens_kid_names()
    {
        Assert.Equal("alice", CliRunner.Succeeded(await VerifyAsync(keys.SetFile)).Json().GetProperty("sub").GetString());
        CliRunner.Succeeded(await VerifyAsync(keys.SetFile, token: TestTokens.Sign(keys.Second)));
    }

    [Fact]
    public async Task A_kid_missing_from_the_jwks_fails_with_key_not_found()
    {
        string token = TestTokens.Sign(Jwk.Generate("ES256", keyId: "k3"));

        CliRunner.AssertFailure(await VerifyAsync(keys.SetFile, token: token), "key_not_found");
    }

    [Fact]
    public async Task A_jwks_can_come_from_stdin()
    {
        CliResult result = await CliRunner.RunAsync(new CliSetup { Stdin = TestTokens.PublicSet(keys.Signer) }, "jwt", "verify", TestTokens.Sign(keys.Signer), "--jwks", "-", "--now", TestTokens.NowArg);

        CliRunner.Succeeded(result);
    }

    [Fact]
    public async Task A_jwks_url_on_loopback_is_fetched_and_used()
    {
        await using var server = LoopbackServer.Serving(TestTokens.PublicSet(keys.Second, keys.Signer));

        CliResult result = await VerifyAsync(server.Url().ToString());

        Assert.Equal("alice", CliRunner.Succeeded(result).Json().GetProperty("sub").GetString());
        string request = Assert.Single(server.Requests);
        Assert.StartsWith("GET /.well-known/jwks.json HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Contains("application/jwk-set+json", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jwks_url_whose_keys_do_not_match_fails_like_a_file_would()
    {
        await using var server = LoopbackServer.Serving(TestTokens.PublicSet(keys.Imposter));

        CliRunner.AssertFailure(await VerifyAsync(server.Url().ToString()), "signature_invalid");
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_with_jwks_unavailable_instead_of_hanging()
    {
        await using var server = LoopbackServer.Hanging();
        var clock = Stopwatch.StartNew();

        CliResult result = await VerifyAsync(server.Url().ToString(), ShortTimeout);

        clock.Stop();
        CliRunner.AssertFailure(result, "jwks_unavailable");
        Assert.Contains("within 1s", result.Stderr, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_server_that_stalls_in_the_middle_of_the_body_times_out_too()
    {
        await using var server = LoopbackServer.StallingMidBody();
        var clock = Stopwatch.StartNew();

        CliResult result = await VerifyAsync(server.Url().ToString(), ShortTimeout);

        clock.Stop();
        CliRunner.AssertFailure(result, "jwks_unavailable");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_server_that_does_not_speak_http_fails_with_jwks_unavailable()
    {
        await using var server = LoopbackServer.SpeakingGarbage();

        CliRunner.AssertFailure(await VerifyAsync(server.Url().ToString(), ShortTimeout), "jwks_unavailable");
    }

    [Theory]
    [InlineData("<html>Sign in</html>")]
    [InlineData("{\"keys\":[}")]
    [InlineData("{\"not\":\"a jwk set\"}")]
    public async Task A_server_that_answers_200_with_garbage_fails_with_key_invalid(string body)
    {
        await using var server = LoopbackServer.Serving(body, contentType: "text/html");

        CliResult result = await VerifyAsync(server.Url().ToString());

        CliRunner.AssertFailure(result, "key_invalid");
        Assert.Contains(server.Url().ToString(), result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_error_status_fails_with_jwks_unavailable_and_names_the_status()
    {
        await using var server = LoopbackServer.Serving("not here", status: 404);

        CliResult result = await VerifyAsync(server.Url().ToString());

        CliRunner.AssertFailure(result, "jwks_unavailable");
        Assert.Contains("HTTP 404", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_larger_than_the_cap_fails_with_jwks_unavailable()
    {
        string big = TestTokens.PublicSet(keys.Signer) + new string(' ', 4096);
        await using var server = LoopbackServer.Serving(big);

        CliResult result = await VerifyAsync(server.Url().ToString(), new CliSetup { JwksMaxBytes = 1024 });

        CliRunner.AssertFailure(result, "jwks_unavailable");
        Assert.Contains("1024-byte cap", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_response_without_a_length_is_capped_while_reading()
    {
        await using var server = LoopbackServer.ServingChunked(3 * 1024 * 1024);

        CliResult result = await VerifyAsync(server.Url().ToString());

        CliRunner.AssertFailure(result, "jwks_unavailable");
        Assert.Contains("cap", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_fails_with_jwks_unavailable()
    {
        Uri url;
        await using (var server = LoopbackServer.Serving("{}"))
        {
            url = server.Url();
        }

        CliRunner.AssertFailure(await VerifyAsync(url.ToString(), ShortTimeout), "jwks_unavailable");
    }

    [Fact]
    public async Task Credentials_and_query_in_the_url_are_not_printed()
    {
        await using var server = LoopbackServer.Serving("nope", status: 500);
        Uri url = server.Url();
        string withSecrets = $"http://user:hunter2@{url.Authority}{url.AbsolutePath}?api_key=s3cr3t";

        CliResult result = await VerifyAsync(withSecrets);

        CliRunner.AssertFailure(result, "jwks_unavailable");
        Assert.DoesNotContain("hunter2", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(url.AbsolutePath, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_to_another_http_url_is_followed()
    {
        await using var target = LoopbackServer.Serving(TestTokens.PublicSet(keys.Signer));
        await using var redirector = LoopbackServer.Redirecting(target.Url().ToString());

        CliRunner.Succeeded(await VerifyAsync(redirector.Url().ToString()));
        Assert.Single(target.Requests);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/jwks.json")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://")]
    public async Task A_jwks_url_that_is_not_http_or_https_is_a_usage_error(string url)
    {
        CliRunner.AssertUsageError(await VerifyAsync(url), "http");
    }
}
