using System.Globalization;
using System.Text.Json;

namespace Tessera.Server.Tests.OpenApi;

/// <summary>The server's OpenAPI document as JSON, with what the tests ask of it: operations, responses and a small schema walker.</summary>
public sealed class OpenApiDocumentJson(JsonElement root)
{
    public JsonElement Root { get; } = root;

    public static async Task<OpenApiDocumentJson> FetchAsync(TestServerFactory server)
    {
        HttpResponseMessage response = await server.CreateBareClient().GetAsync("/openapi/v1.json");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return new OpenApiDocumentJson(JsonDocument.Parse(body).RootElement.Clone());
    }

    /// <summary>Every operation as (METHOD, path template).</summary>
    public IEnumerable<(string Method, string Path)> Operations() =>
        from path in Root.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where operation.Name is "get" or "post" or "put" or "delete" or "patch" or "head" or "options"
        select (operation.Name.ToUpperInvariant(), path.Name);

    public JsonElement Operation(string method, string path)
    {
        Assert.True(Root.GetProperty("paths").TryGetProperty(path, out JsonElement item), $"{path} is not in the document");
        Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out JsonElement operation), $"{method} {path} is not in the document");
        return operation;
    }

    /// <summary>
    /// Asserts that <paramref name="response"/> is one the document describes for the operation:
    /// its status is listed, its content type is one of that response's, and a JSON body has the
    /// schema's required members with the documented types. Returns the problems found.
    /// </summary>
    public List<string> Check(string method, string path, int status, string? mediaType, string body)
    {
        List<string> problems = [];
        JsonElement operation = Operation(method, path);
        JsonElement responses = operation.GetProperty("responses");
        if (!responses.TryGetProperty(status.ToString(CultureInfo.InvariantCulture), out JsonElement documented)
            && !responses.TryGetProperty("default", out documented))
        {
            problems.Add($"status {status} is not documented (documented: {string.Join(", ", responses.EnumerateObject().Select(r => r.Name))})");
            return problems;
        }

        bool declaresContent = documented.TryGetProperty("content", out JsonElement content) && content.EnumerateObject().Any();
        if (body.Length == 0)
        {
            // A documented body may be left out only by HEAD; an empty answer must not promise one.
            if (declaresContent)
            {
                problems.Add($"status {status} is documented with a body ({string.Join(", ", content.EnumerateObject().Select(c => c.Name))}) but the answer has none");
            }

            return problems;
        }

        if (!declaresContent)
        {
            problems.Add($"status {status} answered a {mediaType} body, but the document declares none");
            return problems;
        }

        if (mediaType is null || !content.TryGetProperty(mediaType, out JsonElement media))
        {
            problems.Add($"content type {mediaType} is not documented for {status} (documented: {string.Join(", ", content.EnumerateObject().Select(c => c.Name))})");
            return problems;
        }

        if (mediaType.EndsWith("json", StringComparison.Ordinal) && media.TryGetProperty("schema", out JsonElement schema))
        {
            Walk(schema, JsonDocument.Parse(body).RootElement, "$", problems, depth: 0);
        }

        return problems;
    }

    private JsonElement Resolve(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out JsonElement reference))
        {
            string[] parts = reference.GetString()!.TrimStart('#', '/').Split('/');
            JsonElement target = Root;
            foreach (string part in parts)
            {
                target = target.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            }

            schema = target;
        }

        return schema;
    }

    private void Walk(JsonElement schema, JsonElement value, string at, List<string> problems, int depth)
    {
        schema = Resolve(schema);
        if (depth > 32 || schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("allOf", out JsonElement allOf))
        {
            foreach (JsonElement part in allOf.EnumerateArray())
            {
                Walk(part, value, at, problems, depth + 1);
            }
        }

        foreach (string alternatives in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(alternatives, out JsonElement options))
            {
                List<List<string>> outcomes = [.. options.EnumerateArray().Select(option =>
                {
                    List<string> found = [];
                    Walk(option, value, at, found, depth + 1);
                    return found;
                })];
                if (outcomes.Count > 0 && outcomes.All(o => o.Count > 0))
                {
                    problems.Add($"{at} matches none of {alternatives}: {outcomes[0][0]}");
                }
            }
        }

        if (schema.TryGetProperty("type", out JsonElement type))
        {
            string[] types = type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)] : [type.GetString()!];
            if (!types.Any(t => Fits(t, value)))
            {
                problems.Add($"{at} is {value.ValueKind}, documented as {string.Join("|", types)}");
                return;
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out JsonElement required))
            {
                foreach (JsonElement name in required.EnumerateArray())
                {
                    if (!value.TryGetProperty(name.GetString()!, out _))
                    {
                        problems.Add($"{at}.{name.GetString()} is required by the document but missing");
                    }
                }
            }

            if (schema.TryGetProperty("properties", out JsonElement properties))
            {
                foreach (JsonProperty property in properties.EnumerateObject())
                {
                    if (value.TryGetProperty(property.Name, out JsonElement member))
                    {
                        Walk(property.Value, member, $"{at}.{property.Name}", problems, depth + 1);
                    }
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out JsonElement items))
        {
            int i = 0;
            foreach (JsonElement item in value.EnumerateArray())
            {
                Walk(items, item, $"{at}[{i++}]", problems, depth + 1);
            }
        }
    }

    private static bool Fits(string type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };
}
