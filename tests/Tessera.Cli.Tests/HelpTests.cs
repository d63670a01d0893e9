using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

public class HelpTests
{
    [Theory]
    [InlineData("", "jwt", "key")]
    [InlineData("jwt", "decode", "verify", "sign")]
    [InlineData("key", "generate", "public", "thumbprint")]
    [InlineData("jwt decode", "TOKEN", "verified")]
    [InlineData("jwt verify", "--jwk", "--jwks", "--alg", "--iss", "--aud", "--typ", "--now", "jwks_unavailable", "signature_invalid")]
    [InlineData("jwt sign", "--jwk", "--alg", "--claims", "@FILE", "--exp", "15m", "--iss", "--aud", "both in --claims")]
    [InlineData("key generate", "--alg", "--kid", "thumbprint")]
    [InlineData("key public", "FILE", "oct")]
    [InlineData("key thumbprint", "FILE", "RFC 7638")]
    public async Task Help_is_on_every_command_exits_zero_and_describes_the_options(string command, params string[] mentions)
    {
        foreach (string flag in new[] { "--help", "-h" })
        {
            CliResult result = await CliRunner.RunAsync([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), flag]);

            CliRunner.Succeeded(result);
            Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
            Assert.Contains($"tessera {command}".Trim(), result.Stdout, StringComparison.Ordinal);
            foreach (string mention in mentions)
            {
                Assert.Contains(mention, result.Stdout, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Help_wins_over_errors_on_the_same_command_line()
    {
        CliRunner.Succeeded(await CliRunner.RunAsync("jwt", "verify", "--bogus", "--help"));
    }
}
