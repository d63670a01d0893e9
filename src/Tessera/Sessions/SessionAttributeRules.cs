using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Tessera.Sessions;

/// <summary>
/// Attribute keys are short and URL-safe, so they travel in paths unescaped. Values are any JSON
/// value within a size budget and a nesting depth.
/// </summary>
public static class SessionAttributeRules
{
    /// <summary>The longest attribute key accepted, in characters.</summary>
    public const int MaximumKeyLength = 64;

    /// <summary>
    /// Objects and arrays nest at most this deep: enough for any settings blob, and a value read
    /// back is never a recursion hazard for the client that walks it.
    /// </summary>
    public const int MaximumDepth = 16;

    internal const string InvalidTextProblem = "An attribute value must be valid Unicode text (UTF-8, no lone surrogate escapes).";

    /// <summary>Why <paramref name="key"/> cannot be an attribute key; null when it can.</summary>
    public static string? KeyProblem(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaximumKeyLength)
        {
            return $"An attribute key is 1 to {MaximumKeyLength} characters long.";
        }

        foreach (char c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or ':'))
            {
                return "An attribute key may only contain ASCII letters, digits and . _ - :";
            }
        }

        return null;
    }

    /// <summary>
    /// The stored text of <paramref name="value"/> (see <see cref="SessionAttributeFormat"/>), or why
    /// it cannot be stored. A string is measured in characters, exactly as when values could only be
    /// strings; any other value by the UTF-8 bytes of its compact JSON text. Both against
    /// <paramref name="maxLength"/>.
    /// </summary>
    public static (string? Stored, string? Problem) Prepare(JsonElement value, int maxLength)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return (null, "The value is required: a string or any other JSON value.");
        }

        // System.Text.Json does not check the UTF-8 of strings it has not been asked to read: inside an
        // object or array, an invalid byte would reach the stored text as U+FFFD. Refused, not altered.
        if (!Utf8.IsValid(JsonMarshal.GetRawUtf8Value(value)))
        {
            return (null, InvalidTextProblem);
        }

        if (DeeperThan(value, MaximumDepth))
        {
            return (null, $"An attribute value nests objects and arrays at most {MaximumDepth} deep.");
        }

        string stored;
        try
        {
            stored = SessionAttributeFormat.Encode(value);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // JSON can escape a lone UTF-16 surrogate (\ud800) that no store's UTF-8 text holds.
            return (null, InvalidTextProblem);
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!.Length > maxLength ? (null, $"A string attribute value is at most {maxLength} characters long.") : (stored, null);
        }

        // The stored text is the marker (one byte in UTF-8) and the JSON text.
        return System.Text.Encoding.UTF8.GetByteCount(stored) - 1 > maxLength
            ? (null, $"An attribute value's JSON text is at most {maxLength} bytes long (UTF-8, without spaces).")
            : (stored, null);
    }

    /// <summary>Whether objects and arrays nest deeper than <paramref name="limit"/>; never walks further than that.</summary>
    private static bool DeeperThan(JsonElement value, int limit) => value.ValueKind switch
    {
        JsonValueKind.Object => limit == 0 || value.EnumerateObject().Any(p => DeeperThan(p.Value, limit - 1)),
        JsonValueKind.Array => limit == 0 || value.EnumerateArray().Any(e => DeeperThan(e, limit - 1)),
        _ => false,
    };
}
