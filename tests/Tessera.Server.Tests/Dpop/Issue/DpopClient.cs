using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;

namespace Tessera.Server.Tests.Dpop.Issue;

/// <summary>
/// A DPoP client's side (RFC 9449 §4): a key pair, proofs for one request each (header typ dpop+jwt,
/// alg, public jwk; claims jti, htm, htu, iat, optional nonce and ath), signed with Tessera.Jose's
/// signer; and the token requests the tests make with them.
/// </summary>
internal sealed class DpopClient(TestServerFactory server, string algorithm = "ES256")
{
    public const string Origin = "https://localhost";

    public Jwk Key { get; } = Jwk.Generate(algorithm);

    public string Thumbprint => Key.Thumbprint;

    /// <summary>The last <c>DPoP-Nonce</c> the server sent; put into the next proofs.</summary>
    public string? Nonce { get; set; }

    public string Proof(string method, string path, string? accessToken = null, DateTimeOffset? issuedAt = null, string? nonce = null)
    {
        var header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = Key.Algorithm, ["jwk"] = JsonNode.Parse(Key.ToPublicJwk().ToJson()) };
        var claims = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["htm"] = method,
            ["htu"] = Origin + path,
            ["iat"] = (issuedAt ?? server.Time.GetUtcNow()).ToUnixTimeSeconds(),
        };
        if ((nonce ?? Nonce) is { } n)
        {
            claims["nonce"] = n;
        }

        if (accessToken is not null)
        {
            claims["ath"] = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }

        return JwsSigner.SignWithHeader(Encoding.UTF8.GetBytes(header.ToJsonString()), Encoding.UTF8.GetBytes(claims.ToJsonString()), Key);
    }

    /// <summary>Sends <paramref name="content"/> to <paramref name="path"/> with <paramref name="proof"/> in <c>DPoP</c> (none when null); remembers a <c>DPoP-Nonce</c> answer.</summary>
    public async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, HttpContent content, string? proof)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (proof is not null)
        {
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        }

        HttpResponseMessage response = await http.SendAsync(request);
        if (response.Headers.TryGetValues("DPoP-Nonce", out IEnumerable<string>? nonces))
        {
            Nonce = nonces.Single();
        }

        return response;
    }

    public Task<HttpResponseMessage> SignInAsync(HttpClient http, string username, bool withProof = true) =>
        PostAsync(http, "/auth/token", JsonContent.Create(new { username, password = Tests.Http.Password }), withProof ? Proof("POST", "/auth/token") : null);

    public Task<HttpResponseMessage> RefreshAsync(HttpClient http, string refreshToken, bool withProof = true) =>
        PostAsync(http, "/auth/token/refresh", JsonContent.Create(new { refresh_token = refreshToken }), withProof ? Proof("POST", "/auth/token/refresh") : null);

    public Task<HttpResponseMessage> OAuthTokenAsync(HttpClient http, IEnumerable<KeyValuePair<string, string>> form, bool withProof = true) =>
        PostAsync(http, "/oauth2/token", new FormUrlEncodedContent(form), withProof ? Proof("POST", "/oauth2/token") : null);
}

/// <summary>The JSON answers and tokens the tests read.</summary>
internal static partial class DpopAnswers
{
    /// <summary>The claims of a JWS (its payload).</summary>
    public static JsonElement Claims(string jws) => Tokens.TokenHttp.Part(jws, 1);

    /// <summary>The access token's <c>cnf.jkt</c>, or null when it has no <c>cnf</c>.</summary>
    public static string? Jkt(string accessToken) =>
        Claims(accessToken).TryGetProperty("cnf", out JsonElement cnf) ? cnf.GetProperty("jkt").GetString() : null;

    /// <summary>An RFC 6749 §5.2 error answer: 400, JSON, the <c>error</c>.</summary>
    public static async Task AssertOAuthErrorAsync(this HttpResponseMessage response, string error, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(error, JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
    }

    /// <summary>The authorization request of a code flow up to the code (the provider's sign-in page, no consent), with <paramref name="extra"/> parameters.</summary>
    public static async Task<HttpResponseMessage> AuthorizeAsync(HttpClient browser, string clientId, string username, Dictionary<string, string?>? extra = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = OAuthClients.Callback,
            ["scope"] = "openid offline_access",
            ["state"] = "st-1",
            ["code_challenge"] = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(OAuthClients.Verifier))),
            ["code_challenge_method"] = "S256",
        };
        foreach ((string key, string? value) in extra ?? [])
        {
            query[key] = value;
        }

        HttpResponseMessage toSignIn = await browser.GetAsync(QueryHelpers.AddQueryString("/oauth2/authorize", query));
        if (toSignIn.StatusCode is not (HttpStatusCode.Found or HttpStatusCode.SeeOther) || !toSignIn.Headers.Location!.OriginalString.StartsWith('/'))
        {
            return toSignIn; // an error redirect to the client, or a page
        }

        string page = await (await browser.GetAsync(toSignIn.Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
        Match pending = HiddenRequest().Match(page);
        Assert.True(pending.Success, "no pending request on the sign-in page");
        var post = new HttpRequestMessage(HttpMethod.Post, "/oauth2/signin")
        {
            Content = new FormUrlEncodedContent([new("request", WebUtility.HtmlDecode(pending.Groups[1].Value)), new("username", username), new("password", Tests.Http.Password)]),
        };
        post.Headers.Add("Sec-Fetch-Site", "same-origin");
        return await browser.SendAsync(post);
    }

    /// <summary>The code in the redirect to the client.</summary>
    public static string Code(HttpResponseMessage redirect)
    {
        string location = redirect.Headers.Location?.OriginalString ?? throw new InvalidOperationException($"no redirect: {(int)redirect.StatusCode}");
        Assert.StartsWith(OAuthClients.Callback + "?", location, StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(new Uri(location).Query)["code"].ToString();
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"request\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenRequest();
}

/// <summary>The clients the tests register: a public app, a confidential backend, and one registered with dpop_bound_access_tokens.</summary>
internal static class OAuthClients
{
    public const string Public = "spa";
    public const string Confidential = "backend";
    public const string Strict = "dpop-only";
    public static readonly string Secret = Tessera.OAuth.ClientSecrets.Generate().Secret;
    public const string Callback = "https://app.example/callback";
    public const string AppOrigin = "https://app.example";
    public const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Tessera:Clients:{Public}:Type"] = "public",
            [$"Tessera:Clients:{Public}:RedirectUris:0"] = Callback,
            [$"Tessera:Clients:{Public}:RequireConsent"] = "false",
            [$"Tessera:Clients:{Public}:CorsOrigins:0"] = AppOrigin,
            [$"Tessera:Clients:{Confidential}:Type"] = "confidential",
            [$"Tessera:Clients:{Confidential}:Secret"] = Secret,
            [$"Tessera:Clients:{Confidential}:TokenEndpointAuthMethod"] = "client_secret_post",
            [$"Tessera:Clients:{Confidential}:RedirectUris:0"] = Callback,
            [$"Tessera:Clients:{Confidential}:RequireConsent"] = "false",
            [$"Tessera:Clients:{Confidential}:GrantTypes:0"] = "authorization_code",
            [$"Tessera:Clients:{Confidential}:GrantTypes:1"] = "refresh_token",
            [$"Tessera:Clients:{Confidential}:GrantTypes:2"] = "client_credentials",
            [$"Tessera:Clients:{Confidential}:Scopes:0"] = "openid",
            [$"Tessera:Clients:{Confidential}:Scopes:1"] = "offline_access",
            [$"Tessera:Clients:{Confidential}:Scopes:2"] = "orders",
            [$"Tessera:Clients:{Strict}:Type"] = "confidential",
            [$"Tessera:Clients:{Strict}:Secret"] = Secret,
            [$"Tessera:Clients:{Strict}:TokenEndpointAuthMethod"] = "client_secret_post",
            [$"Tessera:Clients:{Strict}:GrantTypes:0"] = "client_credentials",
            [$"Tessera:Clients:{Strict}:Scopes:0"] = "orders",
            [$"Tessera:Clients:{Strict}:DpopBoundAccessTokens"] = "true",
            ["Tessera:Tokens:Introspection:Clients:orders-api"] = "s3cret-for-tests",
        };
        foreach ((string key, string? value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The form that redeems <paramref name="code"/> for the public client.</summary>
    public static KeyValuePair<string, string>[] PublicRedemption(string code) =>
        [new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", Callback), new("code_verifier", Verifier), new("client_id", Public)];

    /// <summary>The form that redeems <paramref name="code"/> for the confidential client (client_secret_post).</summary>
    public static KeyValuePair<string, string>[] ConfidentialRedemption(string code) =>
        [new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", Callback), new("code_verifier", Verifier), new("client_id", Confidential), new("client_secret", Secret)];
}
