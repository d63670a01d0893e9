using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tessera.Sessions;

/// <summary>
/// How an attribute value is kept in a store's text column or hash field, so that no backend needs
/// a schema change. A string is kept as itself, exactly as every earlier version wrote it, so rows
/// written before still read back as strings. Any other JSON value (and the rare string that itself
/// begins with the marker) is kept as U+001E followed by its compact JSON text: the record separator
/// that opens each text of an RFC 7464 §2 JSON text sequence, a character no earlier client had a
/// reason to start a string with.
/// </summary>
public static class SessionAttributeFormat
{
    /// <summary>The first character of a stored value that holds JSON text (format 1).</summary>
    public const char JsonMarker = '\u001E';

    // Compact, and non-ASCII text kept as UTF-8 rather than \u escapes: the stored text is not
    // embedded in HTML, and every byte counts against the size budget.
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    /// <summary>The stored text of <paramref name="value"/>.</summary>
    /// <exception cref="InvalidOperationException">The value holds text JSON cannot carry (a lone surrogate).</exception>
    public static string Encode(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return Encode(value.GetString()!);
        }

        return JsonMarker + CompactJson(value);
    }

    /// <summary>The stored text of a string value: the string itself unless it begins with the marker.</summary>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.StartsWith(JsonMarker))
        {
            return value;
        }

        return JsonMarker + System.Text.Encoding.UTF8.GetString(Write(writer => writer.WriteStringValue(value)).Span);
    }

    /// <summary>The value behind stored text; a plain (unmarked) text is a string.</summary>
    public static JsonElement Decode(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.StartsWith(JsonMarker))
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(stored.AsMemory(1));
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Not written by this format (a string that happened to start with U+001E before
                // the format existed): it stays what it was, a string.
            }
        }

        return StringElement(stored);
    }

    /// <summary>The compact JSON text of <paramref name="value"/> (what the size budget counts).</summary>
    public static string CompactJson(JsonElement value)
    {
        return System.Text.Encoding.UTF8.GetString(Write(value.WriteTo).Span);
    }

    /// <summary>A JSON string element holding <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">The text is not valid UTF-16 (a lone surrogate).</exception>
    public static JsonElement StringElement(string value)
    {
        using JsonDocument document = JsonDocument.Parse(Write(writer => writer.WriteStringValue(value)));
        return document.RootElement.Clone();
    }

    private static ReadOnlyMemory<byte> Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            write(writer);
        }

        return buffer.WrittenMemory;
    }
}
