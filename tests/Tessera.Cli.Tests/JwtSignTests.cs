using System.Text.Json;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

public sealed class JwtSignTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("HS256")]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("EdDSA")]
    public async Task A_token_signed_with_a_generated_key_verifies_with_its_public_key(string alg)
    {
        string privateKey = _files.Write("private.json", (await CliRunner.SucceedAsync("key", "generate", "--alg", alg)).Stdout);
        string verificationKey = alg == "HS256"
            ? privateKey
            : _files.Write("public.json", (await CliRunner.SucceedAsync("key", "public", privateKey)).Stdout);

        string token = (await CliRunner.SucceedAsync("jwt", "sign", "--jwk", privateKey, "--claims", "{\"sub\":\"alice\"}", "--exp", "5m", "--iss", "tessera", "--aud", "api")).Stdout.Trim();
        CliResult verified = await CliRunner.RunAsync("jwt", "verify", token, "--jwk", verificationKey, "--alg", alg, "--iss", "tessera", "--aud", "api");

        Assert.Equal("alice", CliRunner.Succeeded(verified).Json().GetProperty("sub").GetString());
        JsonElement header = (await CliRunner.SucceedAsync("jwt", "decode", token)).Json().GetProperty("header");
        Assert.Equal(alg, header.GetProperty("alg").GetString());
    }

    [Fact]
    public async Task Sign_prints_only_the_compact_token_and_a_newline()
    {
        string key = _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);

        CliResult result = await CliRunner.SucceedAsync("jwt", "sign", "--jwk", key);

        Assert.Matches(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$", result.Stdout);
    }

    [Fact]
    public async Task Sign_adds_iat_and_turns_exp_into_now_plus_the_duration()
    {
        JsonElement payload = await SignAndDecodeAsync("--now", "1700000000", "--exp", "2h");

        Assert.Equal(1700000000, payload.GetProperty("iat").GetInt64());
        Assert.Equal(1700000000 + (2 * 3600), payload.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task Without_exp_the_token_expires_after_fifteen_minutes()
    {
        JsonElement payload = await SignAndDecodeAsync("--now", "1700000000");

        Assert.Equal(1700000000 + (15 * 60), payload.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task Without_now_iat_comes_from_the_clock_the_cli_was_given()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_600_000_000));
        string key = _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);

        CliResult signed = CliRunner.Succeeded(await CliRunner.RunAsync(new CliSetup { Clock = clock }, "jwt", "sign", "--jwk", key));

        JsonElement payload = (await CliRunner.SucceedAsync("jwt", "decode", signed.Stdout.Trim())).Json().GetProperty("payload");
        Assert.Equal(1_600_000_000, payload.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task Claims_keep_their_json_types_and_registered_claims_their_meaning()
    {
        JsonElement payload = await SignAndDecodeAsync(
            "--claims", """{"sub":"alice","aud":["a","b"],"nbf":1700000000,"jti":"id-1","admin":true,"n":3,"tags":["x"],"o":{"k":null}}""");

        Assert.Equal("alice", payload.GetProperty("sub").GetString());
        Assert.Equal(2, payload.GetProperty("aud").GetArrayLength());
        Assert.Equal(1700000000, payload.GetProperty("nbf").GetInt64());
        Assert.Equal("id-1", payload.GetProperty("jti").GetString());
        Assert.True(payload.GetProperty("admin").GetBoolean());
        Assert.Equal(3, payload.GetProperty("n").GetInt32());
        Assert.Equal("x", payload.GetProperty("tags")[0].GetString());
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("o").GetProperty("k").ValueKind);
    }

    [Fact]
    public async Task An_iat_or_exp_in_claims_replaces_the_automatic_one()
    {
        JsonElement payload = await SignAndDecodeAsync("--now", "1700000000", "--claims", """{"iat":1600000000,"exp":1600000600}""");

        Assert.Equal(1600000000, payload.GetProperty("iat").GetInt64());
        Assert.Equal(1600000600, payload.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task Claims_can_be_read_from_a_file_with_an_at_sign()
    {
        string claims = _files.Write("claims.json", """{"sub":"from-file"}""");

        JsonElement payload = await SignAndDecodeAsync("--claims", "@" + claims);

        Assert.Equal("from-file", payload.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Claims_can_be_read_from_stdin_with_at_dash()
    {
        string key = _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);

        CliResult signed = await CliRunner.SucceedWithStdinAsync("""{"sub":"from-stdin"}""", "jwt", "sign", "--jwk", key, "--claims", "@-");

        JsonElement payload = (await CliRunner.SucceedAsync("jwt", "decode", signed.Stdout.Trim())).Json().GetProperty("payload");
        Assert.Equal("from-stdin", payload.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task The_signing_key_can_come_from_stdin()
    {
        CliResult signed = await CliRunner.SucceedWithStdinAsync(KnownKeys.Rfc7515HmacKey, "jwt", "sign", "--jwk", "-", "--now", TestTokens.NowArg);

        string hmac = _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);
        CliRunner.Succeeded(await CliRunner.RunAsync("jwt", "verify", signed.Stdout.Trim(), "--jwk", hmac, "--now", TestTokens.NowArg));
    }

    [Fact]
    public async Task Repeated_aud_flags_make_an_audience_array()
    {
        JsonElement payload = await SignAndDecodeAsync("--aud", "a", "--aud", "b");

        Assert.Equal(["a", "b"], payload.GetProperty("aud").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Typ_sets_the_header_type()
    {
        string key = _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);
        string token = (await CliRunner.SucceedAsync("jwt", "sign", "--jwk", key, "--typ", "at+jwt")).Stdout.Trim();

        Assert.Equal("at+jwt", (await CliRunner.SucceedAsync("jwt", "decode", token)).Json().GetProperty("header").GetProperty("typ").GetString());
    }

    [Fact]
    public async Task The_header_names_the_key_by_its_thumbprint_when_it_has_no_kid()
    {
        string key = _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);
        string thumbprint = (await CliRunner.SucceedAsync("key", "thumbprint", key)).Stdout.Trim();

        string token = (await CliRunner.SucceedAsync("jwt", "sign", "--jwk", key)).Stdout.Trim();

        Assert.Equal(thumbprint, (await CliRunner.SucceedAsync("jwt", "decode", token)).Json().GetProperty("header").GetProperty("kid").GetString());
    }

    [Theory]
    [InlineData("--iss", "x", """{"iss":"y"}""", "'iss'")]
    [InlineData("--aud", "x", """{"aud":"y"}""", "'aud'")]
    [InlineData("--exp", "1h", """{"exp":1700000000}""", "'exp'")]
    public async Task A_claim_given_both_by_a_flag_and_in_claims_is_a_usage_error(string flag, string value, string claims, string named)
    {
        string key = _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);

        CliResult result = await CliRunner.RunAsync("jwt", "sign", "--jwk", key, flag, value, "--claims", claims);

        CliRunner.AssertUsageError(result, named);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"a string\"")]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""{"exp":"tomorrow"}""")]
    [InlineData("""{"exp":1.5}""")]
    [InlineData("""{"iat":-1}""")]
    [InlineData("""{"iss":42}""")]
    [InlineData("""{"aud":[1]}""")]
    [InlineData("""{"aud":[]}""")]
    public async Task Claims_that_are_not_a_well_typed_json_object_are_a_usage_error(string claims)
    {
        string key = _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);

        CliRunner.AssertUsageError(await CliRunner.RunAsync("jwt", "sign", "--jwk", key, "--claims", claims));
    }

    [Theory]
    [InlineData("15")]
    [InlineData("m")]
    [InlineData("0s")]
    [InlineData("-5m")]
    [InlineData("1.5h")]
    [InlineData("1H")]
    [InlineData("1w")]
    [InlineData("1h30m")]
    [InlineData("367d")]
    [InlineData("99999999999999999999d")]
    public async Task A_bad_exp_duration_is_a_usage_error(string duration)
    {
        string key = _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);

        CliRunner.AssertUsageError(await CliRunner.RunAsync("jwt", "sign", "--jwk", key, "--exp", duration), "--exp");
    }

    [Fact]
    public async Task A_missing_claims_file_fails_with_exit_one()
    {
        string key = _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);

        CliRunner.AssertFailure(await CliRunner.RunAsync("jwt", "sign", "--jwk", key, "--claims", "@" + _files.Missing("none.json")), "input_unreadable");
    }

    [Fact]
    public async Task Signing_with_a_public_key_fails_with_key_invalid()
    {
        string publicKey = _files.Write("public.json", KnownKeys.Rfc7638RsaKey);

        CliResult result = await CliRunner.RunAsync("jwt", "sign", "--jwk", publicKey);

        CliRunner.AssertFailure(result, "key_invalid");
        Assert.Contains("private key", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_with_an_algorithm_the_key_does_not_fit_fails_with_alg_not_allowed()
    {
        string key = _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);

        CliRunner.AssertFailure(await CliRunner.RunAsync("jwt", "sign", "--jwk", key, "--alg", "ES256"), "alg_not_allowed");
    }

    [Fact]
    public async Task Signing_with_a_key_whose_alg_differs_from_the_requested_one_fails_with_alg_not_allowed()
    {
        string key = _files.Write("es.json", (await CliRunner.SucceedAsync("key", "generate", "--alg", "ES256")).Stdout);

        CliRunner.AssertFailure(await CliRunner.RunAsync("jwt", "sign", "--jwk", key, "--alg", "ES384"), "alg_not_allowed");
    }

    [Theory]
    [InlineData("none")]
    [InlineData("hs256")]
    [InlineData("XYZ")]
    public async Task An_unknown_or_none_alg_is_a_usage_error(string alg)
    {
        string key = _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);

        CliRunner.AssertUsageError(await CliRunner.RunAsync("jwt", "sign", "--jwk", key, "--alg", alg), alg);
    }

    [Fact]
    public async Task Sign_without_a_key_is_a_usage_error()
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync("jwt", "sign", "--claims", "{}"), "--jwk");
    }

    private async Task<JsonElement> SignAndDecodeAsync(params string[] extra)
    {
        string key = _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);
        CliResult signed = await CliRunner.SucceedAsync(["jwt", "sign", "--jwk", key, .. extra]);
        return (await CliRunner.SucceedAsync("jwt", "decode", signed.Stdout.Trim())).Json().GetProperty("payload");
    }
}
