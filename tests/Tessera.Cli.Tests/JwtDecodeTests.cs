using System.Text.Json;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

public class JwtDecodeTests
{
    [Fact]
    public async Task Decode_prints_the_header_and_payload_marked_unverified()
    {
        CliResult result = await CliRunner.SucceedAsync("jwt", "decode", KnownKeys.Rfc7515Token);

        JsonElement json = result.Json();
        Assert.False(json.GetProperty("verified").GetBoolean());
        Assert.Equal("HS256", json.GetProperty("header").GetProperty("alg").GetString());
        Assert.Equal("JWT", json.GetProperty("header").GetProperty("typ").GetString());
        Assert.Equal("joe", json.GetProperty("payload").GetProperty("iss").GetString());
        Assert.Equal(KnownKeys.Rfc7515TokenExp, json.GetProperty("payload").GetProperty("exp").GetInt64());
        Assert.True(json.GetProperty("payload").GetProperty("http://example.com/is_root").GetBoolean());
    }

    [Fact]
    public async Task Decode_output_is_indented_by_two_spaces_and_ends_with_a_newline()
    {
        CliResult result = await CliRunner.SucceedAsync("jwt", "decode", KnownKeys.Rfc7515Token);

        string[] lines = result.Stdout.Split('\n');
        Assert.Equal("{", lines[0]);
        Assert.Equal("  \"verified\": false,", lines[1]);
        Assert.Equal("  \"header\": {", lines[2]);
        Assert.StartsWith("    \"", lines[3], StringComparison.Ordinal);
        Assert.EndsWith("}\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_does_not_need_a_valid_signature_or_an_unexpired_token()
    {
        // The RFC token expired in 2011 and this one's signature is wrong: decode shows both anyway.
        string tampered = KnownKeys.Rfc7515Token[..^4] + "AAAA";

        CliResult result = await CliRunner.SucceedAsync("jwt", "decode", tampered);

        Assert.Equal("joe", result.Json().GetProperty("payload").GetProperty("iss").GetString());
    }

    [Fact]
    public async Task Decode_reads_the_token_from_stdin_when_it_is_a_dash()
    {
        CliResult result = await CliRunner.SucceedWithStdinAsync(KnownKeys.Rfc7515Token + "\n", "jwt", "decode", "-");

        Assert.Equal("joe", result.Json().GetProperty("payload").GetProperty("iss").GetString());
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d.e")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln")] // payload "not json"
    [InlineData("bm90IGpzb24.eyJzdWIiOiJ4In0.c2ln")] // header "not json"
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0=.c2ln")] // padded base64
    public async Task Decode_of_a_malformed_token_fails_with_the_malformed_code(string token)
    {
        CliResult result = await CliRunner.RunAsync("jwt", "decode", token);

        CliRunner.AssertFailure(result, "malformed");
    }

    [Fact]
    public async Task Decode_of_an_empty_stdin_fails_as_malformed()
    {
        CliResult result = await CliRunner.RunWithStdinAsync("  \n", "jwt", "decode", "-");

        CliRunner.AssertFailure(result, "malformed");
        Assert.Contains("no token on stdin", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_keeps_plus_signs_and_non_ascii_text_readable()
    {
        // Header {"alg":"HS256","typ":"at+jwt"}, payload {"name":"Zoë"}.
        string token = "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJuYW1lIjoiWm_DqyJ9.c2ln";

        CliResult result = await CliRunner.SucceedAsync("jwt", "decode", token);

        Assert.Contains("\"typ\": \"at+jwt\"", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"name\": \"Zoë\"", result.Stdout, StringComparison.Ordinal);
    }
}
