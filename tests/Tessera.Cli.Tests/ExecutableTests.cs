using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>The built executable, run as a process: exit codes and streams as other tools see them.</summary>
public sealed class ExecutableTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task The_executable_prints_help_on_stdout_and_exits_zero()
    {
        CliResult result = CliRunner.Succeeded(await TesseraProcess.RunAsync(null, "--help"));

        Assert.Contains("tessera [command] [options]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_executable_decodes_a_token_from_a_pipe()
    {
        CliResult result = CliRunner.Succeeded(await TesseraProcess.RunAsync(KnownKeys.Rfc7515Token + "\n", "jwt", "decode", "-"));

        Assert.Equal("joe", result.Json().GetProperty("payload").GetProperty("iss").GetString());
    }

    [Fact]
    public async Task The_executable_exits_one_with_the_error_code_on_stderr_only()
    {
        string key = _files.Write("hs.json", KnownKeys.Rfc7515HmacKey);

        CliResult result = await TesseraProcess.RunAsync(null, "jwt", "verify", KnownKeys.Rfc7515Token, "--jwk", key);

        CliRunner.AssertFailure(result, "expired");
    }

    [Fact]
    public async Task The_executable_exits_two_on_a_usage_error()
    {
        CliResult result = await TesseraProcess.RunAsync(null, "jwt", "verify", KnownKeys.Rfc7515Token, "--now", "soon");

        CliRunner.AssertUsageError(result);
    }

    [Fact]
    public async Task Keys_and_tokens_flow_through_pipes_from_generate_to_verify()
    {
        CliResult generated = CliRunner.Succeeded(await TesseraProcess.RunAsync(null, "key", "generate", "--alg", "EdDSA"));
        string privateKey = _files.Write("private.json", generated.Stdout);

        CliResult publicKey = CliRunner.Succeeded(await TesseraProcess.RunAsync(generated.Stdout, "key", "public"));
        string publicFile = _files.Write("public.json", publicKey.Stdout);
        CliResult token = CliRunner.Succeeded(await TesseraProcess.RunAsync(null, "jwt", "sign", "--jwk", privateKey, "--claims", "{\"sub\":\"piped\"}", "--exp", "1m"));
        CliResult verified = await TesseraProcess.RunAsync(token.Stdout, "jwt", "verify", "-", "--jwk", publicFile, "--alg", "EdDSA");

        Assert.Equal("piped", CliRunner.Succeeded(verified).Json().GetProperty("sub").GetString());
    }

    [Fact]
    public async Task The_executable_reports_a_bad_key_file_without_a_stack_trace()
    {
        string key = _files.Write("bad.json", "{\"kty\":\"EC\"}");

        CliResult result = await TesseraProcess.RunAsync(null, "key", "thumbprint", key);

        CliRunner.AssertFailure(result, "key_invalid");
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
    }
}
