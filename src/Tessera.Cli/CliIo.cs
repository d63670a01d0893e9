namespace Tessera.Cli;

/// <summary>
/// Everything the commands touch outside the process: the three standard streams, the clock and
/// the network. The real program uses <see cref="FromConsole"/>; tests pass their own.
/// </summary>
public sealed class CliIo
{
    /// <summary>Streams for a command run: <paramref name="input"/> for piped input (a token, a JWK), <paramref name="output"/> for results, <paramref name="error"/> for diagnostics.</summary>
    public CliIo(TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        In = input;
        Out = output;
        Error = error;
    }

    /// <summary>Standard input: read when a TOKEN or FILE is given as <c>-</c>.</summary>
    public TextReader In { get; }

    /// <summary>Standard output: results only (JSON, tokens, thumbprints).</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: <c>error: CODE: message</c> lines, and progress counts when it is a terminal.</summary>
    public TextWriter Error { get; }

    /// <summary>The clock for <c>iat</c>/<c>exp</c> and validation, unless <c>--now</c> fixes it.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The client for JWKS URLs; null: a private one is created per fetch (and disposed).</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>How long a JWKS fetch may take in all (connect, headers and body).</summary>
    public TimeSpan JwksTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest JWKS response body accepted, in bytes.</summary>
    public int JwksMaxBytes { get; init; } = Jose.Keys.JwkSet.MaxJwkSetBytes;

    /// <summary>Whether standard input is a terminal a person types at (asked before <c>user delete</c> without <c>--yes</c>).</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>Whether standard error is a terminal: only then do long operations show a progress count there.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The operating-system user running the command, named in the audit events of administration commands.</summary>
    public string OperatorName { get; init; } = Environment.UserName;

    /// <summary>The process's own console streams.</summary>
    public static CliIo FromConsole() => new(Console.In, Console.Out, Console.Error)
    {
        InputIsTerminal = !Console.IsInputRedirected,
        ErrorIsTerminal = !Console.IsErrorRedirected,
    };
}
