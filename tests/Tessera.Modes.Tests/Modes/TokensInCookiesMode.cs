using System.Net;
using System.Text.Json;
using Tessera.Modes.Tests.Hosting;

namespace Tessera.Modes.Tests.Modes;

/// <summary>
/// Tokens in HttpOnly cookies: <c>POST /auth/token?delivery=cookie</c> sets the access-token cookie
/// and the refresh-token cookie (both host-only, every path); only refresh and revoke read the
/// refresh cookie. Requests carry the cookies a browser would send to that path.
/// </summary>
public sealed class TokensInCookiesMode : TokenMode
{
    public const string AccessCookie = "__Host-tessera-at";
    public const string RefreshCookie = "__Host-tessera-rt";

    public override ModeKind Kind => ModeKind.TokensInCookies;

    public override Task<HttpResponseMessage> SignInResponseAsync(ModesHost host, ClientIdentity client, string username, string password) =>
        PostJsonAsync(host, client, "/auth/token?delivery=cookie", new { username, password });

    public override async Task<Credential> ReadCredentialAsync(HttpResponseMessage response, Credential? previous)
    {
        JsonElement body = await response.AssertJsonAsync();
        IReadOnlyDictionary<string, string> cookies = response.SetCookies();
        return new Credential(body.GetProperty("session_id").GetString()!, HttpAssertions.CookieValue(cookies[AccessCookie]), HttpAssertions.CookieValue(cookies[RefreshCookie]));
    }

    public override async Task AssertSignInShapeAsync(HttpResponseMessage response)
    {
        JsonElement body = await response.AssertJsonAsync();
        string text = body.GetRawText();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.False(body.TryGetProperty("access_token", out _));
        Assert.False(body.TryGetProperty("refresh_token", out _));
        IReadOnlyDictionary<string, string> cookies = response.SetCookies();
        Assert.Equal([AccessCookie, RefreshCookie], cookies.Keys.Order(StringComparer.Ordinal));
        string access = cookies[AccessCookie].ToLowerInvariant();
        string refresh = cookies[RefreshCookie].ToLowerInvariant();
        Assert.Contains("httponly", access, StringComparison.Ordinal);
        Assert.Contains("secure", access, StringComparison.Ordinal);
        Assert.Contains("path=/;", access + ";", StringComparison.Ordinal);
        Assert.Contains("httponly", refresh, StringComparison.Ordinal);
        Assert.Contains("secure", refresh, StringComparison.Ordinal);
        Assert.Contains("path=/;", refresh + ";", StringComparison.Ordinal);
        Assert.Contains("samesite=strict", refresh, StringComparison.Ordinal);
        Assert.DoesNotContain(HttpAssertions.CookieValue(cookies[AccessCookie]), text, StringComparison.Ordinal);
        Assert.DoesNotContain(HttpAssertions.CookieValue(cookies[RefreshCookie]), text, StringComparison.Ordinal);
    }

    public override void Present(HttpRequestMessage request, Credential credential) =>
        request.Headers.Add("Cookie", $"{AccessCookie}={credential.Presented}");

    public override Task<HttpResponseMessage> RefreshAsync(ModesHost host, Credential credential, ClientIdentity client) =>
        PostJsonAsync(host, client, "/auth/token/refresh", new { }, BothCookies(credential));

    public override Task<HttpResponseMessage> SignOutAsync(ModesHost host, Credential credential, ClientIdentity client) =>
        PostJsonAsync(host, client, "/auth/token/revoke", new { }, BothCookies(credential));

    public override async Task AssertSignedOutAsync(HttpResponseMessage response)
    {
        await response.AssertStatusAsync(HttpStatusCode.NoContent);
        IReadOnlyDictionary<string, string> cookies = response.SetCookies();
        Assert.True(HttpAssertions.Deletes(cookies[AccessCookie]));
        Assert.True(HttpAssertions.Deletes(cookies[RefreshCookie]));
    }

    // A browser sends both cookies everywhere on the host: both are __Host- with Path=/.
    private static string BothCookies(Credential credential) => $"{AccessCookie}={credential.Presented}; {RefreshCookie}={credential.RefreshToken}";
}
