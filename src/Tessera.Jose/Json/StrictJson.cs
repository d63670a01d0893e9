using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Tessera.Jose.Json;

/// <summary>
/// The JSON rules every JOSE document is held to: one value, no comments or trailing commas,
/// no repeated member names at any depth (RFC 7515 §5.2 allows rejecting them; we always do,
/// because two parsers that pick different duplicates disagree on what was signed), and a
/// small nesting limit so that hostile depth is refused early.
/// </summary>
internal static class StrictJson
{
    public const int MaxDepth = 16;

    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
    };

    /// <summary>
    /// How JOSE objects are written: compact, and escaping only what JSON requires. The default
    /// encoder also escapes HTML-sensitive and non-ASCII characters (<c>at+jwt</c> would become
    /// <c>at\u002Bjwt</c>): valid, but longer and surprising, and tokens are never embedded raw in HTML.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The same, indented for people.</summary>
    public static readonly JsonWriterOptions IndentedWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    public static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
    };

    /// <summary>Parses under the strict rules; null with an error code on any violation.</summary>
    public static JsonDocument? TryParse(ReadOnlyMemory<byte> utf8, out JoseError? error)
    {
        // The document parser leaves string contents unchecked until they are read.
        if (!Utf8.IsValid(utf8.Span) || HasLoneSurrogateEscape(utf8.Span))
        {
            error = JoseError.MalformedPayload;
            return null;
        }

        try
        {
            JsonDocument document = JsonDocument.Parse(utf8, DocumentOptions);
            error = null;
            return document;
        }
        catch (JsonException exception)
        {
            error = Classify(exception);
            return null;
        }
        catch (ArgumentException)
        {
            // Invalid UTF-8 surfaces as an ArgumentException from the transcoder.
            error = JoseError.MalformedPayload;
            return null;
        }
    }

    /// <summary>
    /// Whether a string or member name escapes half of a surrogate pair alone (<c>"\ud800"</c>).
    /// JSON's grammar allows the escape, but the result is no text (RFC 8259 §8.2: its behaviour is
    /// unpredictable; I-JSON, RFC 7493 §2.1, forbids it) and has no UTF-8 form. .NET's reader
    /// accepts it while parsing and throws only when the value is read, by then in a caller's hands
    /// (a DPoP proof's <c>alg</c> read that way was a 500). So every JOSE reader refuses such a
    /// document with its other defects instead.
    /// </summary>
    /// <remarks>Run on valid UTF-8. Only escapes can encode a surrogate (raw ones are invalid UTF-8), so text without <c>\u</c> costs one vectorized search.</remarks>
    public static bool HasLoneSurrogateEscape(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IndexOf("\\u"u8) < 0)
        {
            return false;
        }

        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        Span<char> small = stackalloc char[256];
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    // Unescaping is where the reader pairs surrogates up; a lone half throws InvalidOperationException.
                    // Into a buffer, not a string: every non-BMP character and "at\u002Bjwt" come this way too.
                    // The escaped length bounds the unescaped one (the input is one span: no value sequence).
                    int length = reader.ValueSpan.Length;
                    char[]? rented = length <= small.Length ? null : ArrayPool<char>.Shared.Rent(length);
                    try
                    {
                        _ = reader.CopyString(rented ?? small);
                    }
                    finally
                    {
                        if (rented is not null)
                        {
                            ArrayPool<char>.Shared.Return(rented);
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Malformed in some other way: the caller's own parse says how.
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }

        return false;
    }

    /// <summary>Checks a whole document for duplicates and depth without keeping it.</summary>
    public static JoseError? Validate(ReadOnlyMemory<byte> utf8)
    {
        using JsonDocument? document = TryParse(utf8, out JoseError? error);
        return error;
    }

    // The reader's only structured signal is its message. "depth" alone is not enough: truncated
    // input reports "Expected depth to be zero at the end of the JSON payload", which is malformed.
    public static JoseError Classify(JsonException exception) =>
        exception.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase) ? JoseError.TooDeep
        : exception.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase) ? JoseError.DuplicateMember
        : JoseError.MalformedPayload;
}
