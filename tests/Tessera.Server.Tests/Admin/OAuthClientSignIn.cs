using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Tessera.Server.Tests.Admin;

/// <summary>
/// The real server's OAuth provider from a browser's side: a configured public client (<see cref="ClientId"/>,
/// no consent asked), an authorization request with PKCE, the sign-in page, the code redeemed for
/// tokens issued to that client.
/// </summary>
internal static partial class OAuthClientSignIn
{
    public const string ClientId = "console-app";
    public const string Callback = "https://app.example/callback";
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    /// <summary>The server settings that register the client.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        [$"Tessera:Clients:{ClientId}:Type"] = "public",
        [$"Tessera:Clients:{ClientId}:RedirectUris:0"] = Callback,
        [$"Tessera:Clients:{ClientId}:RequireConsent"] = "false",
    };

    /// <summary>Posts the provider's sign-in page for <paramref name="username"/>; the page's answer (a redirect to the client when it worked).</summary>
    public static async Task<HttpResponseMessage> SignInOnThePageAsync(HttpClient browser, string username, string password = Http.Password)
    {
        string challenge = Base64UrlNoPadding(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));
        string authorize = QueryHelpers.AddQueryString("/oauth2/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = ClientId,
            ["redirect_uri"] = Callback,
            ["scope"] = "openid",
            ["state"] = "st-1",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        });
        HttpResponseMessage toSignIn = await browser.GetAsync(authorize);
        Assert.True(toSignIn.StatusCode is HttpStatusCode.Found or HttpStatusCode.SeeOther, $"authorize answered {(int)toSignIn.StatusCode}: {await toSignIn.Content.ReadAsStringAsync()}");
        string page = await (await browser.GetAsync(toSignIn.Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
        Match pending = HiddenRequest().Match(page);
        Assert.True(pending.Success, "no pending request on the sign-in page");
        var post = new HttpRequestMessage(HttpMethod.Post, "/oauth2/signin")
        {
            Content = new FormUrlEncodedContent([new("request", WebUtility.HtmlDecode(pending.Groups[1].Value)), new("username", username), new("password", password)]),
        };
        post.Headers.Add("Sec-Fetch-Site", "same-origin");
        return await browser.SendAsync(post);
    }

    /// <summary>Signs <paramref name="username"/> in through the provider; the tokens issued to the client.</summary>
    public static async Task<JsonElement> TokensAsync(HttpClient browser, string username)
    {
        HttpResponseMessage signedIn = await SignInOnThePageAsync(browser, username);
        string location = signedIn.Headers.Location?.OriginalString ?? throw new InvalidOperationException($"the sign-in page answered {(int)signedIn.StatusCode}");
        Assert.StartsWith(Callback + "?", location, StringComparison.Ordinal);
        string code = QueryHelpers.ParseQuery(new Uri(location).Query)["code"].ToString();
        HttpResponseMessage redeemed = await browser.PostAsync("/oauth2/token", CodeRedemption(code));
        return await redeemed.AssertOkJsonAsync();
    }

    /// <summary>The token request that redeems <paramref name="code"/> for this public client (PKCE verifier included).</summary>
    public static FormUrlEncodedContent CodeRedemption(string code) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "authorization_code",
        ["code"] = code,
        ["redirect_uri"] = Callback,
        ["code_verifier"] = Verifier,
        ["client_id"] = ClientId,
    });

    private static string Base64UrlNoPadding(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    [GeneratedRegex("<input type=\"hidden\" name=\"request\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenRequest();
}
