using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>The runner itself: the synchronous entry point and the last-resort error handling.</summary>
public class CliAppTests
{
    [Fact]
    public void Run_is_a_synchronous_entry_point_with_the_same_result()
    {
        using var stdin = new StringReader(KnownKeys.Rfc7638RsaKey);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = CliApp.Run(["key", "thumbprint"], new CliIo(stdin, stdout, stderr));

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal(KnownKeys.Rfc7638Thumbprint, stdout.ToString().Trim());
        Assert.Empty(stderr.ToString());
    }

    [Fact]
    public async Task An_unexpected_exception_becomes_an_internal_error_line_without_a_stack_trace()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var io = new CliIo(new ExplodingReader(), stdout, stderr);

        int exitCode = await CliApp.RunAsync(["jwt", "decode", "-"], io);

        var result = new CliResult(exitCode, stdout.ToString(), stderr.ToString());
        CliRunner.AssertFailure(result, "internal");
        Assert.Contains("boom", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_stdin_is_an_input_failure_not_a_crash()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var io = new CliIo(new BrokenPipeReader(), stdout, stderr);

        int exitCode = await CliApp.RunAsync(["key", "thumbprint"], io);

        CliRunner.AssertFailure(new CliResult(exitCode, stdout.ToString(), stderr.ToString()), "key_invalid");
    }

    private sealed class ExplodingReader : TextReader
    {
        public override int Read(char[] buffer, int index, int count) => throw new InvalidOperationException("boom");
    }

    private sealed class BrokenPipeReader : TextReader
    {
        public override int Read(char[] buffer, int index, int count) => throw new IOException("broken pipe");
    }
}
