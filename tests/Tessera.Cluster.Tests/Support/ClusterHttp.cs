using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tessera.Cluster.Tests.Support;

/// <summary>Assertions and account steps over the balancer; failures name the instance that answered.</summary>
internal static class ClusterHttp
{
    public const string Password = "correct horse battery";

    public static async Task<JsonElement> JsonAsync(this Task<HttpResponseMessage> sending, HttpStatusCode expected = HttpStatusCode.OK)
    {
        HttpResponseMessage response = await sending;
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected} but {Describe(response)} answered {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem with this status and <c>error</c> code; returns the response.</summary>
    public static async Task<HttpResponseMessage> ProblemAsync(this Task<HttpResponseMessage> sending, HttpStatusCode status, string code)
    {
        HttpResponseMessage response = await sending;
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {code} but {Describe(response)} answered {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        return response;
    }

    public static async Task<JsonElement> SignUpAndInAsync(this ClusterClient client, string username)
    {
        await client.Http.PostAsJsonAsync("/auth/register", new { username, password = Password }).JsonAsync(HttpStatusCode.Created);
        return await client.Http.PostAsJsonAsync("/auth/session", new { username, password = Password }).JsonAsync();
    }

    private static string Describe(HttpResponseMessage response) =>
        response.Headers.TryGetValues(ClusterClient.InstanceHeader, out IEnumerable<string>? names) ? names.First() : "nginx itself (no instance header)";
}
