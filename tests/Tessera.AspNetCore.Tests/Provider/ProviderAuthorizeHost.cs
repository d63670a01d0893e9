using System.Net;
using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.Provider;
using Tessera.OAuth;
using Tessera.Passwords;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>
/// A host with Tessera's auth, token and provider endpoints over in-memory stores (TestServer, fake
/// clock), seeded with clients, and a browser: one cookie jar, redirects returned, not followed.
/// </summary>
public sealed partial class ProviderAuthorizeHost : IAsyncDisposable
{
    public const string Password = "correct horse battery";
    public const string Origin = "https://localhost";
    public const string Callback = "https://app.example/callback";
    public const string SignedOutUri = "https://app.example/signed-out";

    /// <summary>A public SPA that must ask for consent.</summary>
    public const string Spa = "spa";

    /// <summary>A first-party client the operator trusts: no consent page.</summary>
    public const string Trusted = "trusted";

    /// <summary>A client with two redirect URIs.</summary>
    public const string Multi = "multi";

    /// <summary>A service that may only use client credentials.</summary>
    public const string Service = "service";

    private readonly WebApplication _app;
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    private ProviderAuthorizeHost(WebApplication app, FakeTimeProvider time)
    {
        _app = app;
        Time = time;
        Client = app.GetTestClient();
        Client.BaseAddress = new Uri(Origin);
    }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The PKCE verifier of every request this host builds, and its S256 challenge.</summary>
    public static string Verifier { get; } = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    public static string Challenge { get; } = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public static async Task<ProviderAuthorizeHost> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddTessera().AddTesseraInMemoryStores();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddSingleton<IPasswordHasher>(new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 }));
        configure?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        app.UseTessera();
        app.MapTesseraAuth();
        app.MapTesseraTokens();
        app.MapTesseraProvider();
        await app.StartAsync();

        IClientStore clients = app.Services.GetRequiredService<IClientStore>();
        await clients.TryCreateAsync(NewClient(Spa, "Shop <App>", [Callback]), default);
        await clients.TryCreateAsync(NewClient(Trusted, "Tessera Console", ["https://console.example/cb"]) with { RequireConsent = false }, default);
        await clients.TryCreateAsync(NewClient(Multi, "Two Doors", ["https://one.example/cb", "https://two.example/cb"]), default);
        await clients.TryCreateAsync(NewClient(Service, "Nightly Job", ["https://service.example/cb"]) with { GrantTypes = [GrantTypes.ClientCredentials] }, default);
        return new ProviderAuthorizeHost(app, time);
    }

    public static OAuthClient NewClient(string id, string name, IReadOnlyList<string> redirectUris) => new()
    {
        ClientId = id,
        DisplayName = name,
        ClientType = ClientTypes.Public,
        TokenEndpointAuthMethod = ClientAuthMethods.None,
        RedirectUris = redirectUris,
        PostLogoutRedirectUris = [SignedOutUri],
        GrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken],
        Scopes = [Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess, "tessera"],
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    /// <summary>The parameters of a valid request of <see cref="Spa"/>; <paramref name="changes"/> replace (null: remove) any.</summary>
    public static Dictionary<string, string?> Parameters(params (string Name, string? Value)[] changes)
    {
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["response_type"] = "code",
            ["client_id"] = Spa,
            ["redirect_uri"] = Callback,
            ["scope"] = "openid profile",
            ["state"] = "st-123",
            ["nonce"] = "n-456",
            ["code_challenge"] = Challenge,
            ["code_challenge_method"] = "S256",
        };
        foreach ((string name, string? value) in changes)
        {
            parameters[name] = value;
        }

        return parameters;
    }

    public static string AuthorizeUrl(params (string Name, string? Value)[] changes) =>
        QueryHelpers.AddQueryString(ProviderPaths.Authorize, Parameters(changes).Where(p => p.Value is not null));

    public async Task RegisterAsync(string username) =>
        (await Client.PostAsJsonAsync("/auth/register", new { username, password = Password })).EnsureSuccessStatusCode();

    /// <summary>A browser GET: the jar's cookies go along, Set-Cookie is kept.</summary>
    public Task<HttpResponseMessage> GetAsync(string url) => SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

    /// <summary>A browser form post from this origin's own page.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string url, IEnumerable<KeyValuePair<string, string>> fields, string site = "same-origin")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Sec-Fetch-Site", site);
        if (site != "same-origin")
        {
            request.Headers.Add("Origin", "https://evil.example");
        }

        return SendAsync(request);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        HttpResponseMessage response = await Client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? setCookies))
        {
            foreach (string setCookie in setCookies)
            {
                string pair = setCookie.Split(';')[0];
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                string name = pair[..equals];
                string value = pair[(equals + 1)..];
                bool expired = setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase) || value.Length == 0;
                if (expired)
                {
                    _cookies.Remove(name);
                }
                else
                {
                    _cookies[name] = value;
                }
            }
        }

        return response;
    }

    public bool HasSessionCookie => _cookies.ContainsKey(Tessera.AspNetCore.Authentication.SessionCookieDefaults.CookieName);

    public void ForgetCookies() => _cookies.Clear();

    /// <summary>
    /// From an authorization request to the client's redirect: the sign-in page (as <paramref name="username"/>)
    /// when asked, the consent page (allowed) when asked. The final response (a redirect to the client, or an error page).
    /// </summary>
    public async Task<HttpResponseMessage> AuthorizeThroughPagesAsync(string url, string username, string decision = "allow")
    {
        HttpResponseMessage response = await GetAsync(url);
        for (int step = 0; step < 4 && IsRedirect(response) && response.Headers.Location!.OriginalString.StartsWith("/oauth2/", StringComparison.Ordinal); step++)
        {
            string page = response.Headers.Location!.OriginalString;
            HttpResponseMessage shown = await GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
            string pending = HiddenValue(await shown.Content.ReadAsStringAsync(), "request");
            response = page.StartsWith(ProviderPaths.SignIn, StringComparison.Ordinal)
                ? await PostFormAsync(ProviderPaths.SignIn, [new("request", pending), new("username", username), new("password", Password)])
                : await PostFormAsync(ProviderPaths.Consent, [new("request", pending), new("decision", decision)]);
        }

        return response;
    }

    public static bool IsRedirect(HttpResponseMessage response) => response.StatusCode is HttpStatusCode.Found or HttpStatusCode.SeeOther;

    /// <summary>The query parameters of a redirect to the client.</summary>
    public static Dictionary<string, string> ClientParameters(HttpResponseMessage response, string redirectUri = Callback)
    {
        Assert.True(IsRedirect(response), $"expected a redirect, got {(int)response.StatusCode}");
        string location = response.Headers.Location!.OriginalString;
        Assert.StartsWith(redirectUri + "?", location, StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(new Uri(location).Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
    }

    public static string HiddenValue(string html, string name)
    {
        Match match = Regex.Match(html, $"<input type=\"hidden\" name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\">");
        Assert.True(match.Success, $"no hidden {name} in the page");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    /// <summary>The stored hash of a code: SHA-256 of its 32 decoded bytes, as for every Tessera secret.</summary>
    public static byte[] Hash(string code)
    {
        byte[] hash = new byte[Sessions.SessionSecret.HashLength];
        Assert.True(Sessions.SessionSecret.TryHash(code, hash));
        return hash;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
