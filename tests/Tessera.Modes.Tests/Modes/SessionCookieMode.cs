using System.Net;
using System.Text.Json;
using Tessera.Modes.Tests.Hosting;

namespace Tessera.Modes.Tests.Modes;

/// <summary>The session cookie: <c>POST /auth/session</c> sets <c>__Host-tessera-session</c>; <c>DELETE /auth/session</c> ends it.</summary>
public sealed class SessionCookieMode : CredentialMode
{
    public const string CookieName = "__Host-tessera-session";

    public override ModeKind Kind => ModeKind.SessionCookie;

    public override bool RotatesOnRefresh => false;

    public override string UnknownCredentialCode => "unauthenticated";

    public override Credential MadeUp { get; } = new("made-up", RandomSecret(), null);

    public override Task<HttpResponseMessage> SignInResponseAsync(ModesHost host, ClientIdentity client, string username, string password) =>
        PostJsonAsync(host, client, "/auth/session", new { username, password });

    public override async Task<Credential> ReadCredentialAsync(HttpResponseMessage response, Credential? previous)
    {
        if (previous is not null)
        {
            return previous; // a re-validation keeps the cookie
        }

        JsonElement body = await response.AssertJsonAsync();
        string cookie = HttpAssertions.CookieValue(response.SetCookies()[CookieName]);
        return new Credential(body.GetProperty("session").GetProperty("id").GetString()!, cookie, null);
    }

    public override async Task AssertSignInShapeAsync(HttpResponseMessage response)
    {
        string body = (await response.AssertJsonAsync()).GetRawText();
        IReadOnlyDictionary<string, string> cookies = response.SetCookies();
        Assert.Equal([CookieName], cookies.Keys);
        string cookie = cookies[CookieName].ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("secure", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/;", cookie + ";", StringComparison.Ordinal);
        Assert.Contains("samesite=lax", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", body, StringComparison.Ordinal);
        Assert.DoesNotContain("refresh_token", body, StringComparison.Ordinal);
        Assert.DoesNotContain(HttpAssertions.CookieValue(cookies[CookieName]), body, StringComparison.Ordinal);
    }

    public override void Present(HttpRequestMessage request, Credential credential) =>
        request.Headers.Add("Cookie", $"{CookieName}={credential.Presented}");

    public override Task<HttpResponseMessage> RefreshAsync(ModesHost host, Credential credential, ClientIdentity client) =>
        CallProtectedAsync(host, credential, client);

    public override Task<HttpResponseMessage> SignOutAsync(ModesHost host, Credential credential, ClientIdentity client) =>
        SendAsync(host, credential, client, HttpMethod.Delete, "/auth/session");

    public override async Task AssertSignedOutAsync(HttpResponseMessage response)
    {
        await response.AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.True(HttpAssertions.Deletes(response.SetCookies()[CookieName]));
    }
}
