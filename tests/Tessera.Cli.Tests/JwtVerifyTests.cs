using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tessera.Cli.Tests.Support;
using Tessera.Jose.Keys;

namespace Tessera.Cli.Tests;

public class JwtVerifyTests(VerifyKeys keys) : IClassFixture<VerifyKeys>
{
    private Task<CliResult> VerifyAsync(string token, params string[] extra) =>
        CliRunner.RunAsync(["jwt", "verify", token, "--jwk", keys.PublicFile, "--now", TestTokens.NowArg, .. extra]);

    [Fact]
    public async Task A_valid_token_exits_zero_and_prints_exactly_its_payload()
    {
        string token = TestTokens.Sign(keys.Signer, d => d.AdditionalClaims = new() { ["roles"] = new System.Text.Json.Nodes.JsonArray("admin") });

        CliResult result = CliRunner.Succeeded(await VerifyAsync(token));

        JsonElement payload = result.Json();
        Assert.Equal("alice", payload.GetProperty("sub").GetString());
        Assert.Equal(TestTokens.Now + 600, payload.GetProperty("exp").GetInt64());
        Assert.Equal("admin", payload.GetProperty("roles")[0].GetString());
        Assert.False(payload.TryGetProperty("verified", out _), "verify prints the payload itself, not a wrapper");
        Assert.StartsWith("{\n  \"", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_fails_with_expired_when_now_is_past_exp()
    {
        string token = TestTokens.Sign(keys.Signer);
        string afterExpiry = (TestTokens.Now + 600 + 61).ToString(System.Globalization.CultureInfo.InvariantCulture);

        CliResult result = await CliRunner.RunAsync("jwt", "verify", token, "--jwk", keys.PublicFile, "--now", afterExpiry);

        CliRunner.AssertFailure(result, "expired");
    }

    [Fact]
    public async Task A_token_before_its_nbf_fails_with_not_yet_valid()
    {
        string token = TestTokens.Sign(keys.Signer, d => d.NotBefore = DateTimeOffset.FromUnixTimeSeconds(TestTokens.Now + 300));

        CliRunner.AssertFailure(await VerifyAsync(token), "not_yet_valid");
    }

    [Fact]
    public async Task Now_fixes_the_clock_so_a_2011_token_verifies()
    {
        CliResult result = await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", keys.HmacFile, "--now", KnownKeys.BeforeRfc7515TokenExp);

        Assert.Equal("joe", CliRunner.Succeeded(result).Json().GetProperty("iss").GetString());
    }

    [Fact]
    public async Task Without_now_the_clock_the_cli_was_given_decides()
    {
        var before = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(KnownKeys.Rfc7515TokenExp - 3600));
        var after = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(KnownKeys.Rfc7515TokenExp + 3600));
        string[] args = ["jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", keys.HmacFile];

        CliRunner.Succeeded(await CliRunner.RunAsync(new CliSetup { Clock = before }, args));
        CliRunner.AssertFailure(await CliRunner.RunAsync(new CliSetup { Clock = after }, args), "expired");
    }

    [Fact]
    public async Task The_system_clock_is_the_default_so_the_2011_token_is_expired_today()
    {
        CliResult result = await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", keys.HmacFile);

        CliRunner.AssertFailure(result, "expired");
    }

    [Fact]
    public async Task A_token_signed_by_another_key_with_the_same_kid_fails_with_signature_invalid()
    {
        string token = TestTokens.Sign(keys.Imposter);

        CliRunner.AssertFailure(await VerifyAsync(token), "signature_invalid");
    }

    [Fact]
    public async Task A_wrong_hmac_secret_fails_with_signature_invalid()
    {
        using var files = new TempFiles();
        string other = files.Write("other.json", KnownKeys.OtherHmacKey);

        CliResult result = await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", other, "--now", KnownKeys.BeforeRfc7515TokenExp);

        CliRunner.AssertFailure(result, "signature_invalid");
    }

    [Fact]
    public async Task A_tampered_payload_fails_with_signature_invalid()
    {
        string[] parts = TestTokens.Sign(keys.Signer).Split('.');
        string forged = TestTokens.Sign(keys.Imposter, d => d.Subject = "mallory").Split('.')[1];

        CliRunner.AssertFailure(await VerifyAsync($"{parts[0]}.{forged}.{parts[2]}"), "signature_invalid");
    }

    [Fact]
    public async Task An_algorithm_outside_the_alg_allow_list_fails_with_alg_not_allowed()
    {
        CliResult result = await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", keys.HmacFile, "--now", KnownKeys.BeforeRfc7515TokenExp, "--alg", "HS384,HS512");

        CliRunner.AssertFailure(result, "alg_not_allowed");
    }

    [Theory]
    [InlineData("HS384,HS256")]
    [InlineData("HS384, HS256")]
    public async Task An_algorithm_inside_a_comma_separated_allow_list_is_accepted(string allowList)
    {
        CliResult result = await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", keys.HmacFile, "--now", KnownKeys.BeforeRfc7515TokenExp, "--alg", allowList);

        CliRunner.Succeeded(result);
    }

    [Fact]
    public async Task Alg_may_also_be_repeated()
    {
        CliResult result = await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", keys.HmacFile, "--now", KnownKeys.BeforeRfc7515TokenExp, "--alg", "HS512", "--alg", "HS256");

        CliRunner.Succeeded(result);
    }

    [Fact]
    public async Task Without_alg_the_keys_own_alg_is_the_allow_list()
    {
        // The RFC's secret, declared for HS384 only: its HS256 token is refused.
        using var files = new TempFiles();
        string hs384Only = files.Write("hs384.json", KnownKeys.Rfc7515HmacKey.Replace("\"kty\"", "\"alg\":\"HS384\",\"kty\"", StringComparison.Ordinal));

        CliResult result = await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", hs384Only, "--now", KnownKeys.BeforeRfc7515TokenExp);

        CliRunner.AssertFailure(result, "alg_not_allowed");
    }

    [Fact]
    public async Task Without_alg_a_public_rsa_key_never_accepts_an_hmac_token()
    {
        // Algorithm confusion: the RSA key's bytes must not be used as an HMAC secret.
        using var files = new TempFiles();
        string rsa = files.Write("rsa.json", KnownKeys.Rfc7638RsaKey.Replace("\"alg\": \"RS256\",", string.Empty, StringComparison.Ordinal));

        CliResult result = await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", rsa, "--now", KnownKeys.BeforeRfc7515TokenExp);

        CliRunner.AssertFailure(result, "alg_not_allowed");
    }

    [Fact]
    public async Task An_unsecured_alg_none_token_fails_with_alg_not_allowed()
    {
        // {"alg":"none"} . {"sub":"alice","exp":1893456600} . (empty)
        string token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSIsImV4cCI6MTg5MzQ1NjYwMH0.";

        CliRunner.AssertFailure(await VerifyAsync(token), "alg_not_allowed");
    }

    [Fact]
    public async Task A_token_from_another_key_fails_with_signature_invalid_whatever_its_kid()
    {
        string token = TestTokens.Sign(Jwk.Generate("ES256", keyId: "someone-else"));

        CliRunner.AssertFailure(await VerifyAsync(token), "signature_invalid");
    }

    [Fact]
    public async Task A_wrong_iss_fails_with_issuer_invalid_and_the_right_one_passes()
    {
        string token = TestTokens.Sign(keys.Signer);

        CliRunner.AssertFailure(await VerifyAsync(token, "--iss", "https://other.example"), "issuer_invalid");
        CliRunner.Succeeded(await VerifyAsync(token, "--iss", "https://issuer.example"));
    }

    [Fact]
    public async Task A_wrong_aud_fails_with_audience_invalid_and_the_right_one_passes()
    {
        string token = TestTokens.Sign(keys.Signer, d => d.Audiences = ["api", "admin"]);

        CliRunner.AssertFailure(await VerifyAsync(token, "--aud", "billing"), "audience_invalid");
        CliRunner.Succeeded(await VerifyAsync(token, "--aud", "admin"));
    }

    [Fact]
    public async Task A_wrong_typ_fails_with_type_invalid_and_the_right_one_passes()
    {
        string token = TestTokens.Sign(keys.Signer, d => d.Type = "at+jwt");

        CliRunner.AssertFailure(await VerifyAsync(token, "--typ", "JWT"), "type_invalid");
        CliRunner.Succeeded(await VerifyAsync(token, "--typ", "at+jwt"));
        CliRunner.Succeeded(await VerifyAsync(token, "--typ", "application/at+jwt"));
    }

    [Fact]
    public async Task A_token_without_exp_fails_with_claim_missing()
    {
        string token = TestTokens.Sign(keys.Signer, d => d.ExpiresAt = null);

        CliResult result = await VerifyAsync(token);

        CliRunner.AssertFailure(result, "claim_missing");
        Assert.Contains("'exp'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_token_fails_with_malformed()
    {
        CliRunner.AssertFailure(await VerifyAsync("this.is.not-a-jwt!"), "malformed");
    }

    [Fact]
    public async Task The_token_can_come_from_stdin()
    {
        string token = TestTokens.Sign(keys.Signer);

        CliResult result = await CliRunner.RunWithStdinAsync(token + "\n", "jwt", "verify", "-", "--jwk", keys.PublicFile, "--now", TestTokens.NowArg);

        Assert.Equal("alice", CliRunner.Succeeded(result).Json().GetProperty("sub").GetString());
    }

    [Fact]
    public async Task The_key_can_come_from_stdin()
    {
        string token = TestTokens.Sign(keys.Signer);

        CliResult result = await CliRunner.RunWithStdinAsync(keys.Signer.ToPublicJwk().ToJson(), "jwt", "verify", token, "--jwk", "-", "--now", TestTokens.NowArg);

        CliRunner.Succeeded(result);
    }

    [Fact]
    public async Task A_private_jwk_verifies_too()
    {
        using var files = new TempFiles();
        string privateFile = files.Write("private.json", keys.Signer.ToJson(includePrivate: true));

        CliResult result = await CliRunner.RunAsync("jwt", "verify", TestTokens.Sign(keys.Signer), "--jwk", privateFile, "--now", TestTokens.NowArg);

        CliRunner.Succeeded(result);
    }
}
