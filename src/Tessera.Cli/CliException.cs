using Tessera.Jose;

namespace Tessera.Cli;

/// <summary>
/// Ends a command with <c>error: CODE: message</c> on stderr and an exit code. Thrown from deep
/// inside input handling so that every command reports failures the same way.
/// </summary>
public sealed class CliException : Exception
{
    /// <summary>A failure with the code <c>internal</c> and no detail (for serializers and analyzers; commands always say what went wrong).</summary>
    public CliException()
        : this(CliErrorCodes.Internal, "unspecified failure")
    {
    }

    /// <summary>A failure with the code <c>internal</c> and <paramref name="message"/>.</summary>
    public CliException(string message)
        : this(CliErrorCodes.Internal, message)
    {
    }

    /// <summary>A failure with the code <c>internal</c>, caused by <paramref name="innerException"/>.</summary>
    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = CliErrorCodes.Internal;
        ExitCode = ExitCodes.Failure;
    }

    /// <summary>A failure printed as <c>error: <paramref name="code"/>: <paramref name="message"/></c>, ending the process with <paramref name="exitCode"/>.</summary>
    public CliException(string code, string message, int exitCode = ExitCodes.Failure)
        : base(message)
    {
        Code = code;
        ExitCode = exitCode;
    }

    /// <summary>The stable code printed after <c>error:</c>.</summary>
    public string Code { get; }

    /// <summary><see cref="ExitCodes.Failure"/> or <see cref="ExitCodes.Usage"/>.</summary>
    public int ExitCode { get; }

    /// <summary>A usage error: exit code 2.</summary>
    public static CliException Usage(string message) => new(CliErrorCodes.Usage, message, ExitCodes.Usage);

    /// <summary>A failure carrying one of the library's codes: exit code 1.</summary>
    public static CliException From(JoseError error, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        string message = error.Claim is null ? error.Message : $"{error.Message} (claim '{error.Claim}')";
        return new CliException(error.Code, context is null ? message : $"{context}: {message}");
    }
}
