using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Telemetry;

/// <summary>
/// Every credential a client sends or receives, and the username, is searched for in every metric
/// tag and every span's name, tags, events and status: none may appear.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class NoSecretTests : IDisposable
{
    private const string Username = "secret-username-7f3a";
    private const string Password = "Secret-Password-6b91-horse";
    private const string WrongPassword = "Wrong-Password-0c5e-battery";
    private const string NewPassword = "New-Password-a4d2-staple";
    private const string IntrospectionSecret = "Introspection-Secret-93e1";

    private readonly TelemetryCapture _telemetry = new();
    private readonly TestServerFactory _server = new(new Dictionary<string, string?> { ["Tessera:Tokens:Introspection:Clients:orders-api"] = IntrospectionSecret });

    public void Dispose()
    {
        _server.Dispose();
        _telemetry.Dispose();
    }

    [Fact]
    public async Task NoCredentialOrUsernameAppearsInAnyTagOrSpan()
    {
        var secrets = new List<string> { Username, Password, WrongPassword, NewPassword, IntrospectionSecret };
        HttpClient browser = _server.CreateBareClient();
        await browser.RegisterAsync(Username, Password);

        // A failed sign-in, a cookie sign-in, a password change with it, a sign-out.
        await (await browser.PostJsonAsync("/auth/session", new { username = Username, password = WrongPassword })).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await (await browser.PostJsonAsync("/auth/session", new { username = "unknown-" + Username, password = WrongPassword })).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        HttpResponseMessage signedIn = await browser.PostJsonAsync("/auth/session", new { username = Username, password = Password });
        await signedIn.AssertOkJsonAsync();
        string cookie = Http.CookieValue(signedIn.SetCookie()!);
        secrets.Add(cookie);
        HttpRequestMessage change = Http.WithCookie(HttpMethod.Post, "/auth/password", cookie);
        change.Content = JsonContent.Create(new { currentPassword = Password, newPassword = NewPassword });
        await (await browser.SendAsync(change)).AssertOkJsonAsync();
        await (await browser.SendAsync(Http.WithCookie(HttpMethod.Delete, "/auth/session", cookie))).EnsureSuccessStatusCode().Content.ReadAsStringAsync();

        // Tokens: sign-in, use, refresh, reuse, introspection, revocation.
        JsonElement pair = await browser.SignInForTokensAsync(Username, NewPassword);
        secrets.Add(pair.Access());
        secrets.Add(pair.Refresh());
        await (await browser.GetWithBearerAsync("/auth/me", pair.Access())).AssertOkJsonAsync();
        JsonElement next = await (await browser.RefreshAsync(pair.Refresh())).AssertOkJsonAsync();
        secrets.Add(next.Access());
        secrets.Add(next.Refresh());
        var introspect = new HttpRequestMessage(HttpMethod.Post, "/oauth2/introspect") { Content = new FormUrlEncodedContent([new("token", next.Access())]) };
        introspect.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("orders-api:" + IntrospectionSecret)));
        Assert.True((await (await browser.SendAsync(introspect)).AssertOkJsonAsync()).GetProperty("active").GetBoolean());
        _server.Time.Advance(TimeSpan.FromMinutes(2));
        await browser.RefreshAsync(pair.Refresh());

        var exposed = new List<string>();
        foreach ((string name, Dictionary<string, string?> tags, _, _) in _telemetry.Points())
        {
            exposed.Add(name);
            exposed.AddRange(tags.Select(t => $"{t.Key}={t.Value}"));
        }

        IReadOnlyList<Activity> spans = _telemetry.Spans;
        Assert.Contains(spans, s => s.OperationName == "tessera.token.refresh");
        foreach (Activity span in spans)
        {
            exposed.Add(span.OperationName);
            exposed.Add(span.DisplayName);
            exposed.Add(span.StatusDescription ?? string.Empty);
            exposed.AddRange(span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
            exposed.AddRange(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}")));
            exposed.AddRange(span.Baggage.Select(b => $"{b.Key}={b.Value}"));
        }

        Assert.Contains(exposed, e => e.StartsWith("outcome=", StringComparison.Ordinal));
        foreach (string secret in secrets)
        {
            // The username also in its normalized (lower-case) form, and any secret URL-encoded.
            Assert.DoesNotContain(exposed, e => e.Contains(secret, StringComparison.OrdinalIgnoreCase) || e.Contains(Uri.EscapeDataString(secret), StringComparison.OrdinalIgnoreCase));
        }
    }
}
