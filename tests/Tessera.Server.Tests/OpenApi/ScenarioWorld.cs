using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Tests.Tokens;
using Tessera.Users;

namespace Tessera.Server.Tests.OpenApi;

/// <summary>
/// One server for the response scenarios, with what they need: users made on demand (each
/// scenario its own, from its own client address, so none spends another's rate limit), an admin,
/// a confidential OAuth client, the provider's pages, and a second server with a sign-in limit of 1.
/// </summary>
public sealed class ScenarioWorld : IAsyncLifetime
{
    public const string ClientId = "web";
    public const string Callback = "https://app.example/cb";
    public const string SignedOut = "https://app.example/out";
    public const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    public static readonly string ClientSecret = Tessera.OAuth.ClientSecrets.Generate().Secret;

    private int _next;
    private TestServerFactory? _limited;

    public TestServerFactory Server { get; } = new(new Dictionary<string, string?>
    {
        [$"Tessera:Clients:{ClientId}:Type"] = "confidential",
        [$"Tessera:Clients:{ClientId}:Secret"] = ClientSecret,
        [$"Tessera:Clients:{ClientId}:RedirectUris:0"] = Callback,
        [$"Tessera:Clients:{ClientId}:PostLogoutRedirectUris:0"] = SignedOut,
        [$"Tessera:Clients:{ClientId}:GrantTypes:0"] = "authorization_code",
        [$"Tessera:Clients:{ClientId}:GrantTypes:1"] = "refresh_token",
        [$"Tessera:Clients:{ClientId}:GrantTypes:2"] = "client_credentials",
        [$"Tessera:Clients:{ClientId}:Scopes:0"] = "openid",
        [$"Tessera:Clients:{ClientId}:Scopes:1"] = "profile",
        [$"Tessera:Clients:{ClientId}:Scopes:2"] = "offline_access",
        [$"Tessera:Clients:{ClientId}:Scopes:3"] = "tessera",
    });

    /// <summary>A server that allows one sign-in attempt per client, for the 429 answers.</summary>
    public TestServerFactory Limited => _limited ??= new TestServerFactory(new Dictionary<string, string?>
    {
        ["Tessera:RateLimits:SignInPerClient:PermitLimit"] = "1",
    });

    public OpenApiDocumentJson Document { get; private set; } = null!;

    public async Task InitializeAsync() => Document = await OpenApiDocumentJson.FetchAsync(Server);

    public Task DisposeAsync()
    {
        Server.Dispose();
        _limited?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A fresh name and client address.</summary>
    public (string Username, string Ip) Next()
    {
        int n = Interlocked.Increment(ref _next);
        return ($"user{n}", $"198.51.{n / 250}.{(n % 250) + 1}");
    }

    /// <summary>A browser signed in with a session cookie as a new user.</summary>
    public async Task<HttpClient> SignedInBrowserAsync()
    {
        (string username, string ip) = Next();
        HttpClient browser = Server.CreateBrowser(ip);
        await browser.RegisterAndSignInAsync(username);
        return browser;
    }

    /// <summary>A new user's token pair (access_token, refresh_token, session_id).</summary>
    public async Task<JsonElement> TokensAsync()
    {
        (string username, string ip) = Next();
        return await Server.CreateBareClient(ip).RegisterAndSignInForTokensAsync(username);
    }

    /// <summary>A browser signed in as a new user with the admin role.</summary>
    public async Task<(HttpClient Browser, string UserId)> AdminBrowserAsync()
    {
        (string username, string ip) = Next();
        HttpClient browser = Server.CreateBrowser(ip);
        string id = (await browser.RegisterAsync(username)).GetProperty("id").GetString()!;
        Assert.True((await Server.Services.GetRequiredService<UserRoles>().SetAsync(id, ["admin"], default)).Succeeded);
        await browser.SignInAsync(username);
        return (browser, id);
    }

    /// <summary>A new user (not the admin) signed in for tokens: its id and the token pair's session id.</summary>
    public async Task<(string UserId, string SessionId)> TargetUserAsync()
    {
        (string username, string ip) = Next();
        HttpClient client = Server.CreateBareClient(ip);
        string id = (await client.RegisterAsync(username)).GetProperty("id").GetString()!;
        JsonElement tokens = await client.SignInForTokensAsync(username);
        return (id, tokens.SessionId());
    }

    public static string Challenge => WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public static string AuthorizeQuery(string clientId = ClientId) => QueryHelpers.AddQueryString("/oauth2/authorize", new Dictionary<string, string?>
    {
        ["response_type"] = "code",
        ["client_id"] = clientId,
        ["redirect_uri"] = Callback,
        ["scope"] = "openid profile",
        ["state"] = "st",
        ["nonce"] = "n",
        ["code_challenge"] = Challenge,
        ["code_challenge_method"] = "S256",
    });

    /// <summary>A browser not signed in, and the pending request's value from the sign-in page's address.</summary>
    public async Task<(HttpClient Browser, string Request, string Username)> PendingSignInAsync()
    {
        (string username, string ip) = Next();
        HttpClient browser = Server.CreateBrowser(ip);
        await browser.RegisterAsync(username);
        HttpResponseMessage authorize = await browser.GetAsync(AuthorizeQuery());
        return (browser, RequestOf(authorize), username);
    }

    /// <summary>A signed-in browser at the consent page of a pending request.</summary>
    public async Task<(HttpClient Browser, string Request)> PendingConsentAsync()
    {
        HttpClient browser = await SignedInBrowserAsync();
        HttpResponseMessage authorize = await browser.GetAsync(AuthorizeQuery());
        return (browser, RequestOf(authorize));
    }

    /// <summary>The authorization code flow to its end: the browser that consented, and the client's tokens (with openid).</summary>
    public async Task<(HttpClient Browser, JsonElement Tokens)> ConsentedAsync()
    {
        (HttpClient browser, HttpResponseMessage tokens) = await CodeExchangeAsync();
        return (browser, await tokens.AssertOkJsonAsync());
    }

    /// <summary>The authorization code flow up to the client's code exchange at /oauth2/token, and that answer.</summary>
    public async Task<(HttpClient Browser, HttpResponseMessage Exchange)> CodeExchangeAsync()
    {
        (HttpClient browser, string request) = await PendingConsentAsync();
        HttpResponseMessage allowed = await browser.SendAsync(Form("/oauth2/consent", ("request", request), ("decision", "allow")));
        Uri location = allowed.Headers.Location ?? throw new InvalidOperationException($"The consent answered {(int)allowed.StatusCode} without a redirect.");
        string code = QueryHelpers.ParseQuery(location.Query)["code"]!;
        HttpResponseMessage exchange = await Server.CreateBareClient(Next().Ip).SendAsync(ClientForm("/oauth2/token",
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Callback), ("code_verifier", Verifier)));
        return (browser, exchange);
    }

    /// <summary>A same-origin browser form post.</summary>
    public static HttpRequestMessage Form(string path, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))) };
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        return request;
    }

    /// <summary>A form post authenticated as the confidential client (client_secret_basic).</summary>
    public static HttpRequestMessage ClientForm(string path, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{ClientId}:{ClientSecret}")));
        return request;
    }

    private static string RequestOf(HttpResponseMessage redirect)
    {
        Uri location = redirect.Headers.Location ?? throw new InvalidOperationException($"The authorization request answered {(int)redirect.StatusCode} without a redirect.");
        return QueryHelpers.ParseQuery(new Uri(new Uri("https://localhost"), location).Query)["request"]!;
    }
}
