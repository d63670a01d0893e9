using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>A wrong command line: exit 2, 'error: usage: …' on stderr, nothing on stdout, nothing read or fetched.</summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string HmacKey => _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);

    [Fact]
    public async Task No_command_at_all_is_a_usage_error()
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync());
    }

    [Theory]
    [InlineData("jwt")]
    [InlineData("key")]
    public async Task A_command_group_without_a_subcommand_is_a_usage_error(string group)
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync(group));
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("jwt", "frobnicate")]
    public async Task An_unknown_command_is_a_usage_error(params string[] args)
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync(args), "frobnicate");
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", HmacKey, "--bogus"), "--bogus");
    }

    [Fact]
    public async Task Verify_without_a_key_option_is_a_usage_error()
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token), "--jwk");
    }

    [Fact]
    public async Task Verify_with_both_key_options_is_a_usage_error()
    {
        string key = HmacKey;

        CliRunner.AssertUsageError(await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", key, "--jwks", key), "not both");
    }

    [Fact]
    public async Task Verify_without_a_token_is_a_usage_error()
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync("jwt", "verify", "--jwk", HmacKey));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("1.5")]
    [InlineData("-1")]
    [InlineData("253402300800")]
    [InlineData("99999999999999999999")]
    [InlineData("")]
    public async Task A_bad_now_is_a_usage_error(string now)
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", HmacKey, "--now", now));
    }

    [Fact]
    public async Task Now_without_a_value_is_a_usage_error()
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", HmacKey, "--now"));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("NONE")]
    [InlineData("HS256,none")]
    [InlineData("RS257")]
    [InlineData("HS256,")]
    public async Task A_verify_allow_list_with_none_or_an_unknown_name_is_a_usage_error(string alg)
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", HmacKey, "--alg", alg));
    }

    [Theory]
    [InlineData("--iss")]
    [InlineData("--aud")]
    [InlineData("--typ")]
    public async Task An_empty_claim_requirement_is_a_usage_error(string option)
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", HmacKey, option, ""), option);
    }

    [Fact]
    public async Task Stdin_asked_for_twice_is_a_usage_error_before_anything_is_read()
    {
        CliResult result = await CliRunner.RunWithStdinAsync(KnownKeys.Rfc7515Token, "jwt", "verify", "-", "--jwk", "-");

        CliRunner.AssertUsageError(result, "stdin");
    }

    [Fact]
    public async Task Sign_with_the_key_and_the_claims_both_on_stdin_is_a_usage_error()
    {
        CliRunner.AssertUsageError(await CliRunner.RunWithStdinAsync("{}", "jwt", "sign", "--jwk", "-", "--claims", "@-"), "stdin");
    }

    [Fact]
    public async Task Sign_with_an_empty_claims_file_name_is_a_usage_error()
    {
        CliRunner.AssertUsageError(await CliRunner.RunAsync("jwt", "sign", "--jwk", HmacKey, "--claims", "@"), "@FILE");
    }

    [Fact]
    public async Task A_second_token_argument_is_a_usage_error_that_does_not_echo_the_token()
    {
        CliResult result = await CliRunner.RunAsync("jwt", "decode", KnownKeys.Rfc7515Token, KnownKeys.Rfc7515Token);

        CliRunner.AssertUsageError(result);
        Assert.DoesNotContain("dBjftJeZ4CVP", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("<token>", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_usage_error_points_at_the_commands_help()
    {
        CliResult result = await CliRunner.RunAsync("jwt", "verify", KnownKeys.Rfc7515Token);

        Assert.Contains("Run 'tessera jwt verify --help' for usage.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_at_sign_argument_is_not_expanded_as_a_response_file()
    {
        // System.CommandLine would read '@file' as more arguments; the CLI turns that off.
        string responseFile = _files.Write("args.rsp", "--help");

        CliResult result = await CliRunner.RunAsync("jwt", "decode", "@" + responseFile);

        CliRunner.AssertFailure(result, "malformed");
    }
}
