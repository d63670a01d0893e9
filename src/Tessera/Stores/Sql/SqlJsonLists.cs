using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Tessera.Stores.Sql;

/// <summary>
/// List-valued fields (redirect URIs, scopes, roles…) in one text column as a JSON array of
/// strings: no separator a value could contain, the same text in every backend. A column that is
/// not such an array is damage, not input: reading it makes the store unavailable.
/// </summary>
public static class SqlJsonLists
{
    /// <summary>The JSON array text of <paramref name="values"/>, in their order.</summary>
    public static string Write(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (string value in values)
            {
                ArgumentNullException.ThrowIfNull(value, nameof(values));
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The JSON array text of <paramref name="values"/>, each as base64url (hashes, keys).</summary>
    public static string WriteBytes(IEnumerable<ReadOnlyMemory<byte>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Write(values.Select(value => Base64Url.EncodeToString(value.Span)));
    }

    /// <summary>The strings of a column written by <see cref="Write"/>.</summary>
    public static IReadOnlyList<string> Read(string stored, string what)
    {
        ArgumentNullException.ThrowIfNull(stored);
        try
        {
            using JsonDocument document = JsonDocument.Parse(stored);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw Damaged(what, null);
            }

            var values = new List<string>(document.RootElement.GetArrayLength());
            foreach (JsonElement element in document.RootElement.EnumerateArray())
            {
                values.Add(element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Damaged(what, null));
            }

            return values;
        }
        catch (JsonException ex)
        {
            throw Damaged(what, ex);
        }
    }

    /// <summary>The byte strings of a column written by <see cref="WriteBytes"/>.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> ReadBytes(string stored, string what)
    {
        IReadOnlyList<string> encoded = Read(stored, what);
        var values = new List<ReadOnlyMemory<byte>>(encoded.Count);
        foreach (string value in encoded)
        {
            values.Add(Base64Url.IsValid(value) ? Base64Url.DecodeFromChars(value) : throw Damaged(what, null));
        }

        return values;
    }

    private static StoreUnavailableException Damaged(string what, Exception? inner)
    {
        string message = $"A stored {what} is not a JSON array of strings; the row is damaged.";
        return inner is null ? new StoreUnavailableException(message) : new StoreUnavailableException(message, inner);
    }
}
