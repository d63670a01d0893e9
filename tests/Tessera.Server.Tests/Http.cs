using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tessera.Server.Tests;

/// <summary>Small helpers that keep the tests about behaviour, not plumbing.</summary>
internal static class Http
{
    public const string Password = "correct horse battery";

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a problem+json response with the given status and <c>error</c> code, and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(code, problem.GetProperty("error").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    public static async Task<JsonElement> AssertOkJsonAsync(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} but got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> RegisterAsync(this HttpClient client, string username, string password = Password)
    {
        HttpResponseMessage response = await client.PostJsonAsync("/auth/register", new { username, password });
        return await response.AssertOkJsonAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonElement> SignInAsync(this HttpClient client, string username, string password = Password)
    {
        HttpResponseMessage response = await client.PostJsonAsync("/auth/session", new { username, password });
        return await response.AssertOkJsonAsync();
    }

    /// <summary>Registers <paramref name="username"/> and signs in; returns the sign-in body.</summary>
    public static async Task<JsonElement> RegisterAndSignInAsync(this HttpClient client, string username)
    {
        await client.RegisterAsync(username);
        return await client.SignInAsync(username);
    }

    /// <summary>The Set-Cookie header for <paramref name="name"/>, or null.</summary>
    public static string? SetCookie(this HttpResponseMessage response, string name = "__Host-tessera-session") =>
        response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? values)
            ? values.FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal))
            : null;

    /// <summary>The value part of a Set-Cookie header.</summary>
    public static string CookieValue(string setCookie) => setCookie[(setCookie.IndexOf('=', StringComparison.Ordinal) + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];

    /// <summary>A request carrying exactly this session cookie (for replaying old values).</summary>
    public static HttpRequestMessage WithCookie(HttpMethod method, string path, string cookieValue, string name = "__Host-tessera-session")
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", $"{name}={cookieValue}");
        return request;
    }
}
