using System.Net;
using System.Text.Json;

namespace Tessera.Modes.Tests.Hosting;

/// <summary>Assertions on answers: stable codes and shapes, never message text.</summary>
public static class HttpAssertions
{
    public static async Task<JsonElement> AssertJsonAsync(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} but got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts a problem+json answer (RFC 9457) with this status and <c>error</c> code; returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {code} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(code, problem.GetProperty("error").GetString());
        return problem;
    }

    public static async Task AssertStatusAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            Assert.Fail($"Expected {(int)status} but got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The values of every Set-Cookie of the answer, by cookie name (the last one wins).</summary>
    public static IReadOnlyDictionary<string, string> SetCookies(this HttpResponseMessage response)
    {
        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        if (response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? values))
        {
            foreach (string header in values)
            {
                cookies[header[..header.IndexOf('=', StringComparison.Ordinal)]] = header;
            }
        }

        return cookies;
    }

    /// <summary>The value part of a Set-Cookie header.</summary>
    public static string CookieValue(string setCookie)
    {
        int start = setCookie.IndexOf('=', StringComparison.Ordinal) + 1;
        int end = setCookie.IndexOf(';', start);
        return end < 0 ? setCookie[start..] : setCookie[start..end];
    }

    /// <summary>True when a Set-Cookie header deletes its cookie (an expiry in the past, as ASP.NET Core writes it).</summary>
    public static bool Deletes(string setCookie) =>
        setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
}
