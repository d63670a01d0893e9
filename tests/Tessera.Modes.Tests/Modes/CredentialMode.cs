using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Modes.Tests.Hosting;

namespace Tessera.Modes.Tests.Modes;

/// <summary>
/// One way to hold a sign-in, seen from the client: how it signs in, presents its credential,
/// refreshes and signs out. The suites are written once against this class and run for each mode.
/// </summary>
public abstract class CredentialMode
{
    public abstract ModeKind Kind { get; }

    /// <summary>True when the mode has a refresh token that rotates on use.</summary>
    public abstract bool RotatesOnRefresh { get; }

    /// <summary>The code a made-up credential of this mode is refused with.</summary>
    public abstract string UnknownCredentialCode { get; }

    /// <summary>A credential that looks right but was never issued.</summary>
    public abstract Credential MadeUp { get; }

    public static CredentialMode For(ModeKind kind) => kind switch
    {
        ModeKind.SessionCookie => new SessionCookieMode(),
        ModeKind.TokensInPage => new TokensInPageMode(),
        ModeKind.TokensInCookies => new TokensInCookiesMode(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The sign-in request of this mode, answered as it is.</summary>
    public abstract Task<HttpResponseMessage> SignInResponseAsync(ModesHost host, ClientIdentity client, string username, string password);

    /// <summary>Reads the credential out of a successful sign-in or refresh answer.</summary>
    public abstract Task<Credential> ReadCredentialAsync(HttpResponseMessage response, Credential? previous);

    /// <summary>Asserts that a sign-in answer carries the credential in this mode's channel and no secret in any other.</summary>
    public abstract Task AssertSignInShapeAsync(HttpResponseMessage response);

    /// <summary>Puts the credential where this mode presents it on an ordinary call.</summary>
    public abstract void Present(HttpRequestMessage request, Credential credential);

    /// <summary>
    /// Renews the credential: token modes refresh (the refresh token rotates); the session cookie
    /// has no refresh, so it is a call that re-validates (and slides) the session, keeping the credential.
    /// </summary>
    public abstract Task<HttpResponseMessage> RefreshAsync(ModesHost host, Credential credential, ClientIdentity client);

    /// <summary>Ends the session from the device that holds it.</summary>
    public abstract Task<HttpResponseMessage> SignOutAsync(ModesHost host, Credential credential, ClientIdentity client);

    /// <summary>Asserts the answer to a sign-out and what it tells the client to forget.</summary>
    public abstract Task AssertSignedOutAsync(HttpResponseMessage response);

    /// <summary>Signs in (asserting success) and returns the credential.</summary>
    public async Task<Credential> SignInAsync(ModesHost host, ClientIdentity client, string username)
    {
        HttpResponseMessage response = await SignInResponseAsync(host, client, username, ModesHost.Password);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        return await ReadCredentialAsync(response, null);
    }


    /// <summary>Any request with the credential presented as on an ordinary call.</summary>
    public Task<HttpResponseMessage> SendAsync(ModesHost host, Credential credential, ClientIdentity client, HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        Present(request, credential);
        return host.SendAsync(request, client);
    }

    /// <summary>The app's protected endpoint.</summary>
    public Task<HttpResponseMessage> CallProtectedAsync(ModesHost host, Credential credential, ClientIdentity client) =>
        SendAsync(host, credential, client, HttpMethod.Get, ModesHost.ProtectedPath);

    /// <summary>Asserts the protected call works and answers the user's id as <c>sub</c>.</summary>
    public async Task AssertWorksAsync(ModesHost host, Credential credential, ClientIdentity client, string userId)
    {
        JsonElement me = await (await CallProtectedAsync(host, credential, client)).AssertJsonAsync();
        Assert.Equal(userId, me.GetProperty("sub").GetString());
    }

    /// <summary>Refreshes (asserting success) and returns the new credential.</summary>
    public async Task<Credential> RefreshedAsync(ModesHost host, Credential credential, ClientIdentity client)
    {
        HttpResponseMessage response = await RefreshAsync(host, credential, client);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        return await ReadCredentialAsync(response, credential);
    }

    /// <summary>Asserts an ordinary call was refused with <paramref name="code"/> (401, problem+json).</summary>
    public virtual async Task AssertCallRefusedAsync(HttpResponseMessage response, string code) =>
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, code);

    /// <summary>Asserts a refresh was refused with <paramref name="code"/> (401, problem+json).</summary>
    public async Task AssertRefreshRefusedAsync(HttpResponseMessage response, string code) =>
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, code);

    /// <summary>Asserts that the credential is refused with <paramref name="code"/> everywhere it can be presented: calls and refresh.</summary>
    public async Task AssertEndedAsync(ModesHost host, Credential credential, ClientIdentity client, string code)
    {
        await AssertCallRefusedAsync(await CallProtectedAsync(host, credential, client), code);
        await AssertRefreshRefusedAsync(await RefreshAsync(host, credential, client), code);
    }

    public override string ToString() => Kind.ToString();

    /// <summary>A well-formed access token (header <c>typ: at+jwt</c>, ES256) that no key signed.</summary>
    protected const string UnsignedAccessToken = "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.e30.c2lnbmF0dXJl";

    /// <summary>256 random bits, base64url: the shape of a session secret or refresh token that was never issued.</summary>
    protected static string RandomSecret() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    protected static Task<HttpResponseMessage> PostJsonAsync(ModesHost host, ClientIdentity client, string path, object body, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return host.SendAsync(request, client);
    }
}
