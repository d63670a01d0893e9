using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tessera.Cli.Output;

/// <summary>
/// Writes JSON results to stdout: indented by two spaces, one document per run, ending with a
/// newline. Characters are escaped only where JSON requires it (this is for terminals and pipes,
/// not for HTML), so <c>at+jwt</c> and non-ASCII names stay readable.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentSize = 2,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes whatever <paramref name="write"/> puts in the writer, then a newline.</summary>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Writes one JSON value.</summary>
    public static void Write(TextWriter output, JsonElement value) => Write(output, value.WriteTo);

    /// <summary>Re-indents a JSON document given as text (for instance a JWK from the library).</summary>
    public static void WriteDocument(TextWriter output, string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        Write(output, document.RootElement);
    }
}
