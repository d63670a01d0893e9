using System.Text.Json;

namespace Tessera.Jose.Tests.TestData;

/// <summary>Small conveniences for reading vector JSON.</summary>
internal static class JsonText
{
    /// <summary>A string member, or null when absent or not a string.</summary>
    public static string? StringOrNull(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>A required string member.</summary>
    public static string RequiredString(this JsonElement element, string name) =>
        element.StringOrNull(name) ?? throw new InvalidOperationException($"vector member '{name}' is missing or not a string");

    /// <summary>The member as an object, or null when absent or JSON null.</summary>
    public static JsonElement? ObjectOrNull(this JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Object ? value : null;

    /// <summary>The element's exact JSON text.</summary>
    public static string Raw(this JsonElement element) => element.GetRawText();
}
