using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tessera.Cluster.Tests.Support;

/// <summary>Assertions and account steps over the balancer; failures name the instance that answered.</summary>
internal static class ClusterHttp
{
    public const string Password = "correct horse battery";
    public const string SessionCookie = "__Host-tessera-session";

    /// <summary>A request carrying exactly this session cookie (to replay it, or send it to one instance).</summary>
    public static HttpRequestMessage WithSessionCookie(string path, string cookie, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"{SessionCookie}={cookie}");
        return request;
    }

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

    /// <summary>A token sign-in: the access and refresh tokens.</summary>
    public static async Task<(string AccessToken, string RefreshToken)> TokenSignInAsync(this ClusterClient client, string username)
    {
        JsonElement pair = await client.Http.PostAsJsonAsync("/auth/token", new { username, password = Password }).JsonAsync();
        return (pair.GetProperty("access_token").GetString()!, pair.GetProperty("refresh_token").GetString()!);
    }

    public static async Task<(string AccessToken, string RefreshToken)> RefreshAsync(this ClusterClient client, string refreshToken)
    {
        JsonElement pair = await client.Http.PostAsJsonAsync("/auth/token/refresh", new { refresh_token = refreshToken }).JsonAsync();
        return (pair.GetProperty("access_token").GetString()!, pair.GetProperty("refresh_token").GetString()!);
    }

    public static Task<HttpResponseMessage> GetWithBearerAsync(this ClusterClient client, string path, string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return client.Http.SendAsync(request);
    }

    /// <summary>The <c>kid</c> in a JWS compact header.</summary>
    public static string KeyId(string jws)
    {
        string header = jws[..jws.IndexOf('.', StringComparison.Ordinal)].Replace('-', '+').Replace('_', '/');
        header = header.PadRight(header.Length + ((4 - (header.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(header)).RootElement.GetProperty("kid").GetString()!;
    }

    private static string Describe(HttpResponseMessage response) =>
        response.Headers.TryGetValues(ClusterClient.InstanceHeader, out IEnumerable<string>? names) ? names.First() : "nginx itself (no instance header)";
}
