using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Tessera.Console.Tests.Passkeys;

/// <summary>
/// The provider's own sign-in page (<c>/oauth2/signin</c>, what an OAuth application sends its users
/// to) with a passkey made in the console: the authorization goes on to the application, and the ID
/// token says how the user signed in (<c>amr</c>, RFC 8176).
/// </summary>
[Collection(PasskeyCollection.Name)]
public sealed partial class ProviderSignInPageTests(PasskeyFixture fixture)
{
    [Fact]
    public async Task APasskeyFromTheConsoleSignsInOnTheProvidersPageAndTheIdTokenSaysSo()
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        PasskeyPage page = await PasskeyPage.OpenSignedInAsync(context);
        await page.AddAsync("Laptop");
        IReadOnlyList<JsonElement> passkeys = await page.SignOutWithoutPasskeysAsync();
        await page.Authenticator.PutBackAsync(passkeys);

        // An application's authorization request (code flow with PKCE, RFC 7636), signed out.
        string verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        string challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        string redirectUri = new Uri(fixture.BaseAddress, "callback").ToString();
        string authorize = $"/oauth2/authorize?response_type=code&client_id={PasskeyFixture.ClientId}&redirect_uri={Uri.EscapeDataString(redirectUri)}" +
            $"&scope=openid&state=passkey-test&code_challenge={challenge}&code_challenge_method=S256";
        await page.Page.GotoAsync(authorize);

        // The page's autofill request finds the passkey (as a person picking it would), posts it,
        // and the provider sends the browser back to the application with a code.
        await page.Page.WaitForURLAsync(new Regex("/callback\\?"), new() { Timeout = 30_000 });
        var callback = new Uri(page.Page.Url);
        Assert.Contains("state=passkey-test", callback.Query, StringComparison.Ordinal);
        string code = Uri.UnescapeDataString(CodeParameter().Match(callback.Query).Groups[1].Value);

        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        using HttpResponseMessage answer = await http.PostAsync("/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = PasskeyFixture.ClientId,
            ["code_verifier"] = verifier,
        }));
        string body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, body);
        string idToken = JsonDocument.Parse(body).RootElement.GetProperty("id_token").GetString()!;
        JsonElement claims = JsonDocument.Parse(Base64UrlDecode(idToken.Split('.')[1])).RootElement;
        // A device-bound passkey with user verification: hardware key, user presence, multiple factors.
        Assert.Equal(["hwk", "mfa", "user"], claims.GetProperty("amr").EnumerateArray().Select(v => v.GetString()!).Order(StringComparer.Ordinal));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        string padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    [GeneratedRegex("(?:^\\?|&)code=([^&]+)")]
    private static partial Regex CodeParameter();
}
