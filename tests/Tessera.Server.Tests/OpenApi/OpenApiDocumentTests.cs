using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Tessera.Server.Tests.OpenApi;

/// <summary>The document at /openapi/v1.json: valid OpenAPI, and every endpoint the server maps is in it.</summary>
public sealed partial class OpenApiDocumentTests : IDisposable
{
    // Mapped on purpose without a place in the document, each with its reason.
    private static readonly Dictionary<string, string> Excluded = new(StringComparer.Ordinal)
    {
        ["GET /openapi/{documentName}.json"] = "the document itself",
    };

    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task TheDocumentIsValidOpenApi()
    {
        string json = await (await _server.CreateBareClient().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();

        ReadResult read = OpenApiDocument.Parse(json, "json");

        Assert.NotNull(read.Document);
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        Assert.Equal("Tessera", read.Document!.Info.Title);
        Assert.NotEmpty(read.Document.Paths);
        Assert.True(read.Document.Components?.SecuritySchemes?.ContainsKey("sessionCookie"));
        Assert.True(read.Document.Components?.SecuritySchemes?.ContainsKey("bearer"));
    }

    [Fact]
    public async Task EveryMappedEndpointIsInTheDocument()
    {
        OpenApiDocumentJson document = await OpenApiDocumentJson.FetchAsync(_server);
        HashSet<string> documented = [.. document.Operations().Select(o => $"{o.Method} {o.Path}")];

        List<string> mapped = [.. MappedOperations(_server.Services)];

        Assert.NotEmpty(mapped);
        List<string> missing = [.. mapped.Where(m => !documented.Contains(m) && !Excluded.ContainsKey(m))];
        Assert.True(missing.Count == 0, "Mapped but not documented: " + string.Join(", ", missing));
        // Nothing in the document that the server does not answer.
        List<string> unmapped = [.. documented.Where(d => !mapped.Contains(d))];
        Assert.True(unmapped.Count == 0, "Documented but not mapped: " + string.Join(", ", unmapped));
    }

    [Fact]
    public async Task EveryOperationHasASummaryTagsAndResponses()
    {
        OpenApiDocumentJson document = await OpenApiDocumentJson.FetchAsync(_server);

        foreach ((string method, string path) in document.Operations())
        {
            JsonElement operation = document.Operation(method, path);
            string name = $"{method} {path}";
            if (path.StartsWith("/admin", StringComparison.Ordinal))
            {
                continue; // annotated by the admin API's own branch
            }

            Assert.True(operation.TryGetProperty("summary", out JsonElement summary) && summary.GetString()!.Length > 0, $"{name} has no summary");
            Assert.True(operation.TryGetProperty("tags", out JsonElement tags) && tags.GetArrayLength() > 0, $"{name} has no tag");
            Assert.True(operation.GetProperty("responses").EnumerateObject().Any(r => r.Name.StartsWith('2') || r.Name.StartsWith('3')), $"{name} documents no success");
        }
    }

    [Fact]
    public async Task ProblemsCarryTheirCodeAndOAuthEndpointsTheirFormsAndErrorObjects()
    {
        OpenApiDocumentJson document = await OpenApiDocumentJson.FetchAsync(_server);

        JsonElement problem = document.Root.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails");
        Assert.Contains("error", problem.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        foreach (string path in new[] { "/oauth2/token", "/oauth2/revoke", "/oauth2/introspect" })
        {
            JsonElement operation = document.Operation("POST", path);
            Assert.True(operation.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/x-www-form-urlencoded", out _), $"{path} is not a form");
            JsonElement error = operation.GetProperty("responses").GetProperty("400").GetProperty("content").GetProperty("application/json").GetProperty("schema");
            Assert.EndsWith("OAuthErrorResponse", error.GetProperty("$ref").GetString());
        }

        JsonElement signInProblem = document.Operation("POST", "/auth/session").GetProperty("responses").GetProperty("401").GetProperty("content");
        Assert.True(signInProblem.TryGetProperty("application/problem+json", out _));
        Assert.Contains(document.Operation("GET", "/auth/me").GetProperty("security").EnumerateArray(), s => s.TryGetProperty("bearer", out _));
    }

    /// <summary>Every route the server maps, as METHOD and the document's path template (constraints dropped).</summary>
    internal static IEnumerable<string> MappedOperations(IServiceProvider services) =>
        from endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        let methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods
        where methods is not null
        from method in methods
        where method != HttpMethods.Options
        select $"{method} {Template(endpoint.RoutePattern.RawText!)}";

    private static string Template(string raw) =>
        "/" + RouteParameter().Replace(raw, m => "{" + m.Groups[1].Value + "}").TrimStart('/');

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
