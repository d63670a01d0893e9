using System.Text;
using System.Text.Json;

namespace Tessera.Server.Tests.OpenApi;

/// <summary>
/// docs/api.md is generated from the OpenAPI document: written when <c>TESSERA_UPDATE_API_DOCS=1</c>,
/// otherwise compared, so a page that no longer says what the server serves fails here.
/// </summary>
public sealed class ApiReferencePageTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task TheApiReferencePageIsTheDocumentsOwn()
    {
        OpenApiDocumentJson document = await OpenApiDocumentJson.FetchAsync(_server);
        string page = ApiReferencePage.Render(document.Root);
        string path = Path.Combine(RepositoryRoot(), "docs", "api.md");

        if (Environment.GetEnvironmentVariable("TESSERA_UPDATE_API_DOCS") == "1")
        {
            await File.WriteAllTextAsync(path, page);
            return;
        }

        Assert.True(File.Exists(path), "docs/api.md is missing: run the test with TESSERA_UPDATE_API_DOCS=1");
        string written = (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n");
        Assert.True(written == page, "docs/api.md is stale: run `TESSERA_UPDATE_API_DOCS=1 dotnet test tests/Tessera.Server.Tests --filter ApiReferencePageTests` and commit it.");
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Tessera.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Tessera.slnx) was not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Renders the API reference page (Markdown) from the OpenAPI document: per tag, each operation with its body and answers.</summary>
internal static class ApiReferencePage
{
    private static readonly string[] Methods = ["get", "post", "put", "delete", "patch"];

    public static string Render(JsonElement document)
    {
        var page = new StringBuilder();
        page.Append("# API reference\n\n");
        page.Append("Generated from the server's OpenAPI document (`GET /openapi/v1.json`) by `tests/Tessera.Server.Tests/OpenApi/ApiReferencePageTests.cs`; ")
            .Append("do not edit by hand. Regenerate with `TESSERA_UPDATE_API_DOCS=1 dotnet test tests/Tessera.Server.Tests --filter ApiReferencePageTests`.\n\n");
        page.Append("Errors are RFC 9457 `application/problem+json` with a stable `error` code (and sometimes a finer `reason`); the `/oauth2` endpoints answer ")
            .Append("RFC 6749 §5.2 error objects (`error`, `error_description`). Authentication: the session cookie (`sessionCookie`) or a bearer access token (`bearer`); ")
            .Append("OAuth clients authenticate with HTTP Basic (`clientBasic`) or in the form.\n\n");

        List<(string Tag, string Method, string Path, JsonElement Operation)> operations = [];
        foreach (JsonProperty path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (string method in Methods)
            {
                if (path.Value.TryGetProperty(method, out JsonElement operation))
                {
                    string tag = operation.TryGetProperty("tags", out JsonElement tags) && tags.GetArrayLength() > 0 ? tags[0].GetString()! : "Other";
                    operations.Add((tag, method.ToUpperInvariant(), path.Name, operation));
                }
            }
        }

        foreach (IGrouping<string, (string Tag, string Method, string Path, JsonElement Operation)> group in operations.GroupBy(o => o.Tag).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            page.Append("## ").Append(group.Key).Append("\n\n");
            page.Append("| Operation | Summary | Request body | Responses | Auth |\n|---|---|---|---|---|\n");
            foreach ((_, string method, string path, JsonElement operation) in group.OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => Array.IndexOf(Methods, o.Method.ToLowerInvariant())))
            {
                page.Append("| `").Append(method).Append(' ').Append(path).Append("` | ")
                    .Append(Cell(operation.TryGetProperty("summary", out JsonElement summary) ? summary.GetString() : null)).Append(" | ")
                    .Append(Body(operation)).Append(" | ")
                    .Append(Responses(operation)).Append(" | ")
                    .Append(Security(operation)).Append(" |\n");
            }

            page.Append('\n');
        }

        return page.ToString();
    }

    private static string Body(JsonElement operation)
    {
        if (!operation.TryGetProperty("requestBody", out JsonElement body) || !body.TryGetProperty("content", out JsonElement content))
        {
            return "—";
        }

        return string.Join("<br>", content.EnumerateObject().Select(c => $"`{c.Name}`" + SchemaName(c.Value)));
    }

    private static string Responses(JsonElement operation) =>
        string.Join("<br>", operation.GetProperty("responses").EnumerateObject().OrderBy(r => r.Name, StringComparer.Ordinal).Select(r =>
        {
            string types = r.Value.TryGetProperty("content", out JsonElement content)
                ? " " + string.Join(", ", content.EnumerateObject().Select(c => $"`{c.Name}`" + SchemaName(c.Value)))
                : string.Empty;
            return r.Name + types;
        }));

    private static string SchemaName(JsonElement media)
    {
        if (!media.TryGetProperty("schema", out JsonElement schema))
        {
            return string.Empty;
        }

        if (schema.TryGetProperty("$ref", out JsonElement reference))
        {
            return " " + reference.GetString()![(reference.GetString()!.LastIndexOf('/') + 1)..];
        }

        return schema.TryGetProperty("type", out JsonElement type) && type.ValueKind == JsonValueKind.String ? " " + type.GetString() : string.Empty;
    }

    private static string Security(JsonElement operation) =>
        operation.TryGetProperty("security", out JsonElement security)
            ? string.Join(" or ", security.EnumerateArray().SelectMany(s => s.EnumerateObject().Select(p => p.Name)))
            : "—";

    // A summary taken from a multi-line XML doc comment keeps its line breaks: one table row needs one line.
    private static string Cell(string? text) => string.IsNullOrWhiteSpace(text) ? "—" : string.Join(' ', text.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries)).Replace("|", "\\|", StringComparison.Ordinal);
}
