using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Tessera.Server.Tests.Admin;

namespace Tessera.Server.Tests.Passkeys;

/// <summary>The provider's sign-in page with a passkey: the button and conditional UI, and an authorization that continues to an ID token whose amr says passkey.</summary>
public sealed partial class ProviderPasskeySignInTests : IDisposable
{
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private readonly TestServerFactory _server = new(OAuthClientSignIn.Settings());

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task TheSignInPageOffersAPasskeyUnderItsStrictPolicy()
    {
        HttpResponseMessage page = await SignInPageAsync(_server.CreateBrowser());
        string html = await page.Content.ReadAsStringAsync();

        Assert.Contains("autocomplete=\"username webauthn\"", html, StringComparison.Ordinal);
        Assert.Contains("Sign in with a passkey", html, StringComparison.Ordinal);
        Assert.Contains("mediation", html, StringComparison.Ordinal);
        string csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Match script = InlineScript().Match(html);
        Assert.True(script.Success);
        string hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script.Groups[1].Value)));
        Assert.Contains($"script-src 'sha256-{hash}';", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("connect-src", csp, StringComparison.Ordinal);
        JsonElement options = Options(html);
        Assert.Equal("required", options.GetProperty("userVerification").GetString());
        Assert.Equal(0, options.GetProperty("allowCredentials").GetArrayLength());
    }

    [Fact]
    public async Task APasskeySignInOnThePageContinuesTheAuthorizationAndTheIdTokenSaysPasskey()
    {
        HttpClient setup = _server.CreateBrowser();
        await setup.RegisterAndSignInAsync("alice");
        using var authenticator = new SoftwareAuthenticator();
        await setup.RegisterPasskeyAsync(authenticator);
        HttpClient browser = _server.CreateBrowser();

        HttpResponseMessage signedIn = await PasskeyOnThePageAsync(browser, authenticator);

        JsonElement tokens = await RedeemAsync(browser, signedIn);
        JsonElement idToken = Payload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal(["swk", "user", "mfa"], idToken.GetProperty("amr").EnumerateArray().Select(v => v.GetString()));
        JsonElement sessions = (await (await browser.GetAsync("/auth/sessions")).AssertOkJsonAsync()).GetProperty("sessions");
        // This browser's session and the one the client's code created say passkey; the setup browser's says password.
        Assert.Equal("passkey", sessions.EnumerateArray().Single(s => s.GetProperty("current").GetBoolean()).GetProperty("method").GetString());
        JsonElement granted = sessions.EnumerateArray().Single(s => s.GetProperty("clientId").GetString() == OAuthClientSignIn.ClientId);
        Assert.Equal(["swk", "user", "mfa"], granted.GetProperty("amr").EnumerateArray().Select(v => v.GetString()));
        Assert.Single(sessions.EnumerateArray(), s => s.GetProperty("method").GetString() == "password");
    }

    [Fact]
    public async Task APasswordSignInOnThePageStillSaysPwd()
    {
        await _server.CreateBrowser().RegisterAsync("alice");
        HttpClient browser = _server.CreateBrowser();

        JsonElement tokens = await OAuthClientSignIn.TokensAsync(browser, "alice");

        Assert.Equal(["pwd"], Payload(tokens.GetProperty("id_token").GetString()!).GetProperty("amr").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task AFailedPasskeyOnThePageShowsThePageAgainWithFreshOptions()
    {
        HttpClient setup = _server.CreateBrowser();
        await setup.RegisterAndSignInAsync("alice");
        using var authenticator = new SoftwareAuthenticator();
        await setup.RegisterPasskeyAsync(authenticator);
        authenticator.Origin = "https://phishing.example";
        HttpClient browser = _server.CreateBrowser();

        HttpResponseMessage refused = await PasskeyOnThePageAsync(browser, authenticator);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        string html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("The passkey could not be verified", html, StringComparison.Ordinal);
        Assert.Contains("passkey_state", html, StringComparison.Ordinal);
        Assert.Null(refused.SetCookie());
    }

    private static async Task<HttpResponseMessage> SignInPageAsync(HttpClient browser)
    {
        string challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));
        string authorize = QueryHelpers.AddQueryString("/oauth2/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = OAuthClientSignIn.ClientId,
            ["redirect_uri"] = OAuthClientSignIn.Callback,
            ["scope"] = "openid",
            ["state"] = "st-1",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        });
        HttpResponseMessage toSignIn = await browser.GetAsync(authorize);
        return await browser.GetAsync(toSignIn.Headers.Location!.OriginalString);
    }

    /// <summary>What the page's script does: navigator.credentials.get() with the page's options, credential.toJSON() into the passkey form, submit.</summary>
    private static async Task<HttpResponseMessage> PasskeyOnThePageAsync(HttpClient browser, SoftwareAuthenticator authenticator)
    {
        string html = await (await SignInPageAsync(browser)).Content.ReadAsStringAsync();
        string passkeyForm = html[html.IndexOf("id=\"passkey-form\"", StringComparison.Ordinal)..];
        string request = WebUtility.HtmlDecode(Hidden("request").Match(passkeyForm).Groups[1].Value);
        string state = WebUtility.HtmlDecode(Hidden("passkey_state").Match(passkeyForm).Groups[1].Value);
        string credential = authenticator.Get(Options(html)).ToJsonString();
        var post = new HttpRequestMessage(HttpMethod.Post, "/oauth2/signin")
        {
            Content = new FormUrlEncodedContent([new("request", request), new("passkey_state", state), new("passkey_credential", credential)]),
        };
        post.Headers.Add("Sec-Fetch-Site", "same-origin");
        return await browser.SendAsync(post);
    }

    private static async Task<JsonElement> RedeemAsync(HttpClient browser, HttpResponseMessage signedIn)
    {
        string location = signedIn.Headers.Location?.OriginalString ?? throw new InvalidOperationException($"the sign-in page answered {(int)signedIn.StatusCode}: {await signedIn.Content.ReadAsStringAsync()}");
        Assert.StartsWith(OAuthClientSignIn.Callback + "?", location, StringComparison.Ordinal);
        string code = QueryHelpers.ParseQuery(new Uri(location).Query)["code"].ToString();
        return await (await browser.PostAsync("/oauth2/token", OAuthClientSignIn.CodeRedemption(code))).AssertOkJsonAsync();
    }

    private static JsonElement Options(string html) =>
        JsonDocument.Parse(WebUtility.HtmlDecode(DataOptions().Match(html).Groups[1].Value)).RootElement.Clone();

    private static JsonElement Payload(string jwt) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1])).RootElement.Clone();

    private static Regex Hidden(string name) => new($"<input type=\"hidden\" name=\"{name}\" value=\"([^\"]*)\">");

    [GeneratedRegex("data-options=\"([^\"]*)\"")]
    private static partial Regex DataOptions();

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
