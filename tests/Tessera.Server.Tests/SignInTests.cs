using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Sessions;

namespace Tessera.Server.Tests;

public sealed class SignInTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task SignInAnswersTheUserAndTheSession()
    {
        HttpClient browser = _server.CreateBrowser();
        JsonElement registered = await browser.RegisterAsync("alice");

        JsonElement body = await browser.SignInAsync("Alice");

        Assert.Equal(registered.GetProperty("id").GetString(), body.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("alice", body.GetProperty("user").GetProperty("username").GetString());
        JsonElement session = body.GetProperty("session");
        Assert.True(session.GetProperty("current").GetBoolean());
        Assert.Equal(_server.Time.GetUtcNow(), session.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(_server.Time.GetUtcNow().AddMinutes(30), session.GetProperty("idleExpiresAt").GetDateTimeOffset());
        Assert.Equal(_server.Time.GetUtcNow().AddHours(12), session.GetProperty("absoluteExpiresAt").GetDateTimeOffset());
        Assert.Equal(TestServerFactory.DefaultClientIp, session.GetProperty("ip").GetString());
        Assert.Equal("TesseraTests/1.0", session.GetProperty("userAgent").GetString());
    }

    [Fact]
    public async Task SessionCookieIsHostPrefixedHttpOnlySecureLaxAndCarries256RandomBits()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");

        HttpResponseMessage response = await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });

        string setCookie = response.SetCookie() ?? throw new InvalidOperationException("no session cookie");
        string[] attributes = setCookie.Split(';', StringSplitOptions.TrimEntries);
        Assert.Contains("httponly", attributes, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("secure", attributes, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", attributes, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("path=/", attributes, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(32, Base64Url.DecodeFromChars(Http.CookieValue(setCookie)).Length);
    }

    [Fact]
    public async Task ServerKeepsOnlyTheSha256OfTheCookie()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");
        HttpResponseMessage response = await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });
        string cookie = Http.CookieValue(response.SetCookie()!);

        SessionRecord? stored = await _server.Services.GetRequiredService<ISessionStore>()
            .FindBySecretHashAsync(SHA256.HashData(Base64Url.DecodeFromChars(cookie)), CancellationToken.None);

        Assert.NotNull(stored);
        SqliteConnection.ClearAllPools();
        foreach (string file in Directory.GetFiles(_server.DataDirectory, "tessera.db*"))
        {
            Assert.DoesNotContain(cookie, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SessionIdChangesAtSignIn()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");
        HttpResponseMessage first = await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });
        string firstCookie = Http.CookieValue(first.SetCookie()!);

        HttpResponseMessage second = await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });
        string secondCookie = Http.CookieValue(second.SetCookie()!);

        Assert.NotEqual(firstCookie, secondCookie);
        Assert.NotEqual((await first.JsonAsync()).GetProperty("session").GetProperty("id").GetString(), (await second.JsonAsync()).GetProperty("session").GetProperty("id").GetString());
        HttpClient attacker = _server.CreateBareClient();
        await (await attacker.SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", firstCookie))).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/auth/me")).StatusCode);
    }

    [Fact]
    public async Task PlantedCookieIsNotAdoptedAtSignIn()
    {
        HttpClient client = _server.CreateBareClient();
        await client.RegisterAsync("alice");
        string planted = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var signIn = Http.WithCookie(HttpMethod.Post, "/auth/session", planted);
        signIn.Content = JsonContent(new { username = "alice", password = Http.Password });

        HttpResponseMessage response = await client.SendAsync(signIn);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(planted, Http.CookieValue(response.SetCookie()!));
        await (await client.SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", planted))).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task WrongPasswordIsInvalidCredentials()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");

        HttpResponseMessage response = await browser.PostJsonAsync("/auth/session", new { username = "alice", password = "wrong horse battery" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Null(response.SetCookie());
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task MissingFieldsAreValidationErrors()
    {
        HttpResponseMessage response = await _server.CreateBrowser().PostJsonAsync("/auth/session", new { username = "alice" });

        JsonElement problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
