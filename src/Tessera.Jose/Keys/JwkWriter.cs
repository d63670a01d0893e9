using System.Buffers;
using System.Text.Json;
using Tessera.Jose.Json;

namespace Tessera.Jose.Keys;

/// <summary>Writes keys and key sets as JSON (RFC 7517 §4–5).</summary>
internal static class JwkWriter
{
    public static string ToJson(Jwk key, bool includePrivate, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, indented ? StrictJson.IndentedWriterOptions : StrictJson.WriterOptions))
        {
            Write(writer, key, includePrivate);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Write(Utf8JsonWriter writer, Jwk key, bool includePrivate)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(key);
        if (!includePrivate && key.KeyType == JwkKeyType.Octet)
        {
            throw new InvalidOperationException("A symmetric (oct) key has no public form; export it only with includePrivate.");
        }

        writer.WriteStartObject();
        writer.WriteString("kty", key.Kty);
        if (key.KeyId is not null)
        {
            writer.WriteString("kid", key.KeyId);
        }

        if (key.Use is not null)
        {
            writer.WriteString("use", key.Use);
        }

        if (key.Algorithm is not null)
        {
            writer.WriteString("alg", key.Algorithm);
        }

        if (key.KeyOperations is not null)
        {
            writer.WriteStartArray("key_ops");
            foreach (string operation in key.KeyOperations)
            {
                writer.WriteStringValue(operation);
            }

            writer.WriteEndArray();
        }

        key.WriteKeyMembers(writer, includePrivate);
        writer.WriteEndObject();
    }
}
