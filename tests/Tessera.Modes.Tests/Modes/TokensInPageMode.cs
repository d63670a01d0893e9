using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Tessera.Modes.Tests.Hosting;

namespace Tessera.Modes.Tests.Modes;

/// <summary>
/// Tokens in the page: <c>POST /auth/token</c> answers both tokens in the JSON body; calls carry
/// <c>Authorization: Bearer</c> (RFC 6750 §2.1); <c>/auth/token/refresh</c> and <c>/auth/token/revoke</c>
/// take the refresh token in the body.
/// </summary>
public sealed class TokensInPageMode : TokenMode
{
    public override ModeKind Kind => ModeKind.TokensInPage;

    public override Task<HttpResponseMessage> SignInResponseAsync(ModesHost host, ClientIdentity client, string username, string password) =>
        PostJsonAsync(host, client, "/auth/token", new { username, password });

    public override async Task<Credential> ReadCredentialAsync(HttpResponseMessage response, Credential? previous)
    {
        JsonElement body = await response.AssertJsonAsync();
        return new Credential(body.GetProperty("session_id").GetString()!, body.GetProperty("access_token").GetString()!, body.GetProperty("refresh_token").GetString()!);
    }

    public override async Task AssertSignInShapeAsync(HttpResponseMessage response)
    {
        JsonElement body = await response.AssertJsonAsync();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3, body.GetProperty("access_token").GetString()!.Split('.').Length);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("refresh_token").GetString()));
        Assert.Empty(response.SetCookies());
    }

    public override void Present(HttpRequestMessage request, Credential credential) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Presented);

    public override Task<HttpResponseMessage> RefreshAsync(ModesHost host, Credential credential, ClientIdentity client) =>
        PostJsonAsync(host, client, "/auth/token/refresh", new { refresh_token = credential.RefreshToken });

    public override Task<HttpResponseMessage> SignOutAsync(ModesHost host, Credential credential, ClientIdentity client) =>
        PostJsonAsync(host, client, "/auth/token/revoke", new { refresh_token = credential.RefreshToken });

    public override async Task AssertSignedOutAsync(HttpResponseMessage response)
    {
        await response.AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Empty(response.SetCookies());
    }

    /// <summary>A refused bearer call also says so in the RFC 6750 §3.1 challenge.</summary>
    public override async Task AssertCallRefusedAsync(HttpResponseMessage response, string code)
    {
        await base.AssertCallRefusedAsync(response, code);
        string challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer ", challenge, StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
    }
}
