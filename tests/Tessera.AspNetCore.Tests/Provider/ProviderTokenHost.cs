using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Endpoints;
using Tessera.OAuth;
using Tessera.Passwords;
using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>
/// Tessera as an authorization server on a TestServer (in-memory stores, fake clock): the auth and
/// token endpoints, and <c>/me</c> and <c>/sessions-of/{userId}</c> behind the default scheme. Codes
/// are seeded straight into <see cref="IAuthorizationCodeStore"/>, as the authorize endpoint would
/// create them, so the token endpoint is tested on its own.
/// </summary>
public sealed class ProviderTokenHost : IAsyncDisposable
{
    public const string Password = "correct horse battery";
    public const string Issuer = "https://localhost";
    public const string RedirectUri = "https://app.example/callback";

    private readonly WebApplication _app;

    private ProviderTokenHost(WebApplication app, FakeTimeProvider time)
    {
        _app = app;
        Time = time;
        Client = app.GetTestClient();
        Client.BaseAddress = new Uri(Issuer);
    }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>A test server handler, for a resource server that fetches this issuer's JWKS.</summary>
    public HttpMessageHandler Handler => _app.GetTestServer().CreateHandler();

    public static async Task<ProviderTokenHost> StartAsync(Action<IServiceCollection>? configure = null, Action<WebApplication>? map = null)
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
        app.MapGet("/me", (ClaimsPrincipal user) => user.Claims.Select(c => new[] { c.Type, c.Value })).RequireAuthorization();
        map?.Invoke(app);
        await app.StartAsync();
        return new ProviderTokenHost(app, time);
    }

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Registers a user (with <paramref name="roles"/>); returns the user id.</summary>
    public async Task<string> CreateUserAsync(string username, params string[] roles)
    {
        (await Client.PostAsJsonAsync("/auth/register", new { username, password = Password })).EnsureSuccessStatusCode();
        IUserStore users = Get<IUserStore>();
        UserRecord user = (await users.FindByNormalizedUsernameAsync(UsernameRules.Normalize(username), default))!;
        if (roles.Length > 0)
        {
            Assert.True(await users.SetRolesAsync(user.Id, roles, default));
        }

        return user.Id;
    }

    /// <summary>A confidential client with a secret (returned), registered for <paramref name="method"/>.</summary>
    public async Task<(OAuthClient Client, string Secret)> AddConfidentialClientAsync(string clientId, string method = ClientAuthMethods.ClientSecretBasic, string[]? grants = null, string[]? scopes = null, string[]? corsOrigins = null)
    {
        (string secret, byte[] hash) = ClientSecrets.Generate();
        OAuthClient client = await AddClientAsync(NewClient(clientId, ClientTypes.Confidential, method, grants, scopes, corsOrigins) with { SecretHashes = [hash] });
        return (client, secret);
    }

    public Task<OAuthClient> AddPublicClientAsync(string clientId, string[]? grants = null, string[]? scopes = null, string[]? corsOrigins = null) =>
        AddClientAsync(NewClient(clientId, ClientTypes.Public, ClientAuthMethods.None, grants, scopes, corsOrigins));

    public async Task<OAuthClient> AddClientAsync(OAuthClient client)
    {
        Assert.True(await Get<IClientStore>().TryCreateAsync(client, default));
        return client;
    }

    public OAuthClient NewClient(string clientId, string type, string method, string[]? grants = null, string[]? scopes = null, string[]? corsOrigins = null) => new()
    {
        ClientId = clientId,
        DisplayName = clientId,
        ClientType = type,
        TokenEndpointAuthMethod = method,
        RedirectUris = [RedirectUri],
        GrantTypes = grants ?? [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken],
        Scopes = scopes ?? [Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess, "orders:read", "orders:write"],
        CorsOrigins = corsOrigins ?? [],
        CreatedAt = Time.GetUtcNow(),
    };

    /// <summary>A fresh PKCE verifier and its S256 challenge (RFC 7636 §4.1, §4.2).</summary>
    public static (string Verifier, string Challenge) NewPkce()
    {
        string verifier = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    /// <summary>Stores a code as the authorize endpoint would (only its hash); returns the code the client would hold.</summary>
    public async Task<string> SeedCodeAsync(string clientId, string userId, string scope, string challenge, string redirectUri = RedirectUri, TimeSpan? lifetime = null, string? nonce = null)
    {
        (string code, byte[] hash) = SessionSecret.Generate();
        DateTimeOffset now = Time.GetUtcNow();
        await Get<IAuthorizationCodeStore>().CreateAsync(new AuthorizationCode
        {
            CodeHash = hash,
            ClientId = clientId,
            UserId = userId,
            RedirectUri = redirectUri,
            Scope = scope,
            CodeChallenge = challenge,
            Nonce = nonce,
            AuthenticatedAt = now,
            CreatedAt = now,
            ExpiresAt = now + (lifetime ?? TimeSpan.FromSeconds(60)),
        }, default);
        return code;
    }

    /// <summary>POSTs a form to <paramref name="path"/>, with HTTP Basic client credentials (form-urlencoded first, RFC 6749 §2.3.1) when given.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> form, (string Id, string Secret)? basic = null, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (basic is { } credentials)
        {
            string pair = Uri.EscapeDataString(credentials.Id) + ":" + Uri.EscapeDataString(credentials.Secret);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> TokenAsync((string Id, string Secret)? basic, params (string Name, string Value)[] form) =>
        PostFormAsync("/oauth2/token", form.Select(p => KeyValuePair.Create(p.Name, p.Value)), basic);

    /// <summary>The code grant for a seeded code, authenticated with Basic.</summary>
    public Task<HttpResponseMessage> RedeemAsync(string code, string verifier, (string Id, string Secret)? basic, string redirectUri = RedirectUri, string? clientId = null)
    {
        var form = new List<(string, string)> { ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectUri), ("code_verifier", verifier) };
        if (clientId is not null)
        {
            form.Add(("client_id", clientId));
        }

        return TokenAsync(basic, [.. form]);
    }

    public Task<HttpResponseMessage> GetMeAsync(string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return Client.SendAsync(request);
    }

    /// <summary>Introspects with a configured introspection client (see <see cref="WithIntrospectionClient"/>).</summary>
    public async Task<JsonElement> IntrospectAsync(string token)
    {
        HttpResponseMessage response = await PostFormAsync("/oauth2/introspect", [KeyValuePair.Create("token", token)], (IntrospectionClientId, IntrospectionSecret));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    public const string IntrospectionClientId = "api";
    public const string IntrospectionSecret = "introspection secret";

    /// <summary>Configures a config-based introspection caller (the pre-registry way).</summary>
    public static void WithIntrospectionClient(IServiceCollection services) =>
        services.Configure<Tessera.AspNetCore.Tokens.TesseraIntrospectionOptions>(o => o.Clients[IntrospectionClientId] = IntrospectionSecret);

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Asserts an RFC 6749 §5.2 error answer with <paramref name="error"/> and no token in it.</summary>
    public static async Task<JsonElement> AssertOAuthErrorAsync(HttpResponseMessage response, string error, int status = 400)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        JsonElement json = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(error, json.GetProperty("error").GetString());
        Assert.False(json.TryGetProperty("access_token", out _));
        Assert.False(json.TryGetProperty("refresh_token", out _));
        Assert.False(json.TryGetProperty("id_token", out _));
        return json;
    }

    public static async Task<JsonElement> AssertTokensAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"expected success, got {(int)response.StatusCode}: {body}");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The claims of a JWT, read without verifying it (tests look; the server verifies).</summary>
    public static JsonElement Payload(string jwt) =>
        JsonDocument.Parse(Base64UrlDecode(jwt.Split('.')[1])).RootElement.Clone();

    public async Task<SessionRecord?> SessionAsync(string handle) => await Get<ISessionStore>().FindByHandleAsync(handle, default);

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        string padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - (padded.Length % 4)) % 4));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
