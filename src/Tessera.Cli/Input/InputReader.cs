using System.Text;

namespace Tessera.Cli.Input;

/// <summary>
/// Reads the command's inputs: a value given as <c>-</c> comes from stdin (once per run), anything
/// else named a FILE is read from disk. Reads are capped, and failures become <see cref="CliException"/>s
/// whose messages name the input but never echo its content.
/// </summary>
internal sealed class InputReader(TextReader stdin)
{
    /// <summary>The most any single input may hold, in characters (the JWKS cap is the largest need).</summary>
    public const int MaxInputChars = 1024 * 1024;

    /// <summary>The value that stands for stdin.</summary>
    public const string Stdin = "-";

    private string? _stdinUsedBy;

    /// <summary>How an input is named in messages: <c>stdin</c>, or the file name in quotes.</summary>
    public static string Describe(string pathOrDash) => pathOrDash == Stdin ? "stdin" : $"'{pathOrDash}'";

    /// <summary>The token itself, or stdin for <c>-</c>; surrounding whitespace (a trailing newline) is dropped.</summary>
    public string ReadToken(string tokenOrDash)
    {
        string token = tokenOrDash == Stdin
            ? ReadStdin("TOKEN", Jose.JoseErrorCodes.Malformed)
            : tokenOrDash;
        token = token.Trim();
        return token.Length == 0
            ? throw new CliException(Jose.JoseErrorCodes.Malformed, tokenOrDash == Stdin ? "no token on stdin" : "the token is empty")
            : token;
    }

    /// <summary>
    /// The text of a file, or of stdin for <c>-</c>. A failure is reported under <paramref name="failureCode"/>
    /// (for key files: <c>key_invalid</c>).
    /// </summary>
    public string ReadText(string pathOrDash, string what, string failureCode)
    {
        if (pathOrDash == Stdin)
        {
            return ReadStdin(what, failureCode);
        }

        try
        {
            using var stream = new FileStream(pathOrDash, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.CanSeek && stream.Length > MaxInputChars * 4L)
            {
                throw TooLarge(what, Describe(pathOrDash), failureCode);
            }

            using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            return ReadCapped(reader, what, Describe(pathOrDash), failureCode);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or DecoderFallbackException or ArgumentException or NotSupportedException)
        {
            throw new CliException(failureCode, $"cannot read {what} from {Describe(pathOrDash)}: {Reason(exception)}");
        }
    }

    private string ReadStdin(string what, string failureCode)
    {
        if (_stdinUsedBy is not null)
        {
            throw CliException.Usage($"only one input can come from stdin ('-'), but {_stdinUsedBy} and {what} both ask for it");
        }

        _stdinUsedBy = what;
        try
        {
            return ReadCapped(stdin, what, "stdin", failureCode);
        }
        catch (Exception exception) when (exception is IOException or DecoderFallbackException)
        {
            throw new CliException(failureCode, $"cannot read {what} from stdin: {Reason(exception)}");
        }
    }

    private static string ReadCapped(TextReader reader, string what, string source, string failureCode)
    {
        var text = new StringBuilder();
        char[] buffer = new char[8192];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > MaxInputChars)
            {
                throw TooLarge(what, source, failureCode);
            }
        }

        return text.ToString();
    }

    private static CliException TooLarge(string what, string source, string failureCode) =>
        new(failureCode, $"{what} from {source} is larger than {MaxInputChars / (1024 * 1024)} MiB");

    private static string Reason(Exception exception) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied (or it is a directory)",
        DecoderFallbackException => "it is not UTF-8 text",
        _ => exception.Message,
    };
}
