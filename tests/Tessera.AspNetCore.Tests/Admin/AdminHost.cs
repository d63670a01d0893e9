using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Admin;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Endpoints;
using Tessera.Passwords;
using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.AspNetCore.Tests.Admin;

/// <summary>
/// An app hosting Tessera with in-memory stores (TestServer, fake clock) and the admin API mapped,
/// its log captured. Users sign in for tokens (the bearer header) or a session cookie.
/// </summary>
public sealed class AdminHost : IAsyncDisposable
{
    public const string Password = "correct horse battery";

    private readonly WebApplication _app;

    private AdminHost(WebApplication app, CapturedLog log)
    {
        _app = app;
        Log = log;
        Client = app.GetTestClient();
        Client.BaseAddress = new Uri("https://localhost");
    }

    public HttpClient Client { get; }

    public CapturedLog Log { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<AdminHost> StartAsync()
    {
        var log = new CapturedLog();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(log).SetMinimumLevel(LogLevel.Information);
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UtcNow));
        builder.Services.AddTessera().AddTesseraInMemoryStores();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddSingleton<IPasswordHasher>(new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 }));

        WebApplication app = builder.Build();
        app.UseTessera();
        app.MapTesseraAuth();
        app.MapTesseraAdmin();
        await app.StartAsync();
        return new AdminHost(app, log);
    }

    /// <summary>Registers <paramref name="username"/> with <paramref name="roles"/>; the user's id.</summary>
    public async Task<string> RegisterAsync(string username, params string[] roles)
    {
        (await Client.PostAsJsonAsync("/auth/register", new { username, password = Password })).EnsureSuccessStatusCode();
        IUserStore users = Services.GetRequiredService<IUserStore>();
        UserRecord user = (await users.FindByNormalizedUsernameAsync(UsernameRules.Normalize(username), default))!;
        Assert.True(await users.SetRolesAsync(user.Id, roles, default));
        return user.Id;
    }

    /// <summary>Signs in for tokens; the Authorization header value.</summary>
    public async Task<string> BearerAsync(string username)
    {
        HttpResponseMessage response = await Client.PostAsJsonAsync("/auth/token", new { username, password = Password });
        response.EnsureSuccessStatusCode();
        return "Bearer " + JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
    }

    /// <summary>Signs in with a session cookie; the Cookie header value.</summary>
    public async Task<string> CookieAsync(string username)
    {
        HttpResponseMessage response = await Client.PostAsJsonAsync("/auth/session", new { username, password = Password });
        response.EnsureSuccessStatusCode();
        string setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SessionCookieDefaults.CookieName + "=", StringComparison.Ordinal));
        return setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>A session cookie for a session granted to the OAuth client <paramref name="clientId"/> (as the provider creates them).</summary>
    public async Task<string> ClientGrantedCookieAsync(string userId, string clientId)
    {
        SessionService sessions = Services.GetRequiredService<SessionService>();
        TimeProvider time = Services.GetRequiredService<TimeProvider>();
        IssuedSession issued = await sessions.CreateAsync(userId, new SessionClient(null, null), SessionKinds.Cookie, new SessionLifetime(TimeSpan.FromHours(1), TimeSpan.FromHours(8)),
            new SessionGrant(clientId, "openid", time.GetUtcNow()), handle: null, default);
        return $"{SessionCookieDefaults.CookieName}={issued.Secret}";
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? credential, object? body = null, string? origin = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (credential is not null)
        {
            request.Headers.TryAddWithoutValidation(credential.StartsWith("Bearer ", StringComparison.Ordinal) ? "Authorization" : "Cookie", credential);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (body is string raw)
        {
            request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        }
        else if (body is byte[] bytes)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return Client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a problem+json answer with <paramref name="status"/> and the stable <paramref name="code"/>.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, System.Net.HttpStatusCode status, string code)
    {
        JsonElement problem = await JsonAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, problem.GetProperty("error").GetString());
        return problem;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}

/// <summary>Every log message written, formatted, with its category.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, int EventId, string Message)> _entries = new();

    public IReadOnlyList<(string Category, int EventId, string Message)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, int, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((category, eventId.Id, formatter(state, exception)));
    }
}
