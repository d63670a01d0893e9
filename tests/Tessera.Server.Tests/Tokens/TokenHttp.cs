using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Sessions;

namespace Tessera.Server.Tests.Tokens;

/// <summary>Helpers for token mode: sign in for tokens, refresh, call with a bearer token, read the store.</summary>
internal static class TokenHttp
{
    public static async Task<JsonElement> SignInForTokensAsync(this HttpClient client, string username, string password = Http.Password) =>
        await (await client.PostJsonAsync("/auth/token", new { username, password })).AssertOkJsonAsync();

    public static async Task<JsonElement> RegisterAndSignInForTokensAsync(this HttpClient client, string username)
    {
        await client.RegisterAsync(username);
        return await client.SignInForTokensAsync(username);
    }

    /// <summary>Registers, then signs in with the tokens delivered in cookies; the sign-in's answer.</summary>
    public static async Task<HttpResponseMessage> RegisterAndSignInWithTokenCookiesAsync(this HttpClient client, string username)
    {
        await client.RegisterAsync(username);
        HttpResponseMessage response = await client.PostJsonAsync("/auth/token?delivery=cookie", new { username, password = Http.Password });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    public static Task<HttpResponseMessage> RefreshAsync(this HttpClient client, string? refreshToken) =>
        client.PostJsonAsync("/auth/token/refresh", new { refresh_token = refreshToken });

    public static Task<HttpResponseMessage> OAuthRefreshAsync(this HttpClient client, string refreshToken) =>
        client.PostAsync("/oauth2/token", new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)]));

    public static Task<HttpResponseMessage> SendWithBearerAsync(this HttpClient client, HttpMethod method, string path, string accessToken, object? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (json is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(json);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> GetWithBearerAsync(this HttpClient client, string path, string accessToken) =>
        client.SendWithBearerAsync(HttpMethod.Get, path, accessToken);

    public static string Access(this JsonElement pair) => pair.GetProperty("access_token").GetString()!;

    public static string Refresh(this JsonElement pair) => pair.GetProperty("refresh_token").GetString()!;

    public static string SessionId(this JsonElement pair) => pair.GetProperty("session_id").GetString()!;

    /// <summary>Asserts a 401 bearer refusal: RFC 6750 challenge and the problem+json code.</summary>
    public static async Task AssertBearerRefusedAsync(this HttpResponseMessage response, string code)
    {
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, code);
        string challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer ", challenge, StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
    }

    /// <summary>The JSON of one base64url part of a JWS.</summary>
    public static JsonElement Part(string jws, int index)
    {
        string part = jws.Split('.')[index];
        return JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(part)).RootElement.Clone();
    }

    /// <summary>What the store keys a cookie secret or refresh token on: SHA-256 of its base64url-decoded bytes (whatever its length).</summary>
    public static byte[] HashOf(string secret) =>
        System.Security.Cryptography.SHA256.HashData(System.Buffers.Text.Base64Url.DecodeFromChars(secret));

    public static async Task<SessionRecord> StoredSessionAsync(this TestServerFactory server, string handle) =>
        (await server.Services.GetRequiredService<ISessionStore>().FindByHandleAsync(handle, CancellationToken.None))!;

    /// <summary>The token with one payload character changed (signature no longer matches).</summary>
    public static string Tampered(string jws)
    {
        string[] parts = jws.Split('.');
        JsonElement payload = Part(jws, 1);
        string changed = payload.GetRawText().Replace("\"tessera\"", "\"tesserb\"", StringComparison.Ordinal);
        parts[1] = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(changed));
        return string.Join('.', parts);
    }

    public static string Sha256Hex(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
