using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Tessera.Console.Tests.Dpop;

/// <summary>
/// The console's "tokens + DPoP" mode (RFC 9449) in Chromium against the real server: the page's
/// key is WebCrypto's and cannot be exported, the tokens are bound to it (cnf.jkt), and the tokens
/// alone (as Bearer, or with a proof from any other key) get nothing.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class DpopModeTests(ConsoleFixture fixture)
{
    private const string Mode = "dpop";

    [Fact]
    public async Task SignInShopRefreshAndReloadWithANonExtractableKeyTheTokensAreBoundTo()
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        ConsolePage console = await ConsolePage.OpenAsync(context);
        string username = ConsolePage.NewUsername("dpop");
        await console.RegisterAndSignInAsync(username, Mode);

        // The sign-in and every API call carried a proof; the shop works with it.
        LogRow signIn = (await console.LogRowsAsync("POST /auth/token"))[0];
        Assert.Equal((200, "—"), (signIn.Status, signIn.SetCookies));
        Assert.EndsWith("DPoP proof", signIn.Text, StringComparison.Ordinal);
        await console.AddToCartAsync("Bronze tessera");
        LogRow added = (await console.LogRowsAsync("POST /shop/cart/items"))[0];
        Assert.Matches(@"^Authorization: \d{3,} B \+ DPoP proof$", added.Text);

        // The key: ECDSA P-256 that script can use but not read.
        PageKey key = await PageKey.ReadAsync(console.Page) ?? throw new Xunit.Sdk.XunitException("No DPoP key in IndexedDB after signing in.");
        Assert.False(key.Extractable);
        Assert.Equal("InvalidAccessError", key.ExportError);
        Assert.Equal(("EC", "P-256"), ((string?)key.PublicJwk["kty"], (string?)key.PublicJwk["crv"]));

        // The access token is bound to that key (cnf.jkt, RFC 9449 §6.1), thumbprint computed here.
        PageTokens tokens = await PageTokens.ReadAsync(console.Page);
        Assert.Equal(key.Thumbprint, Jkt(tokens.Access));
        await Assertions.Expect(console.Page.Locator("#dpop-thumbprint")).ToHaveTextAsync(key.Thumbprint);
        await Assertions.Expect(console.Page.Locator("#dpop-bound")).ToContainTextAsync("yes");
        await Assertions.Expect(console.Page.Locator("tr[data-claim='cnf'] td").First).ToContainTextAsync(key.Thumbprint);

        // A thief with the token and without the key: refused as Bearer, with no proof, with its own key's proof.
        using HttpClient http = Http();
        await ExpectRefusedAsync(http, tokens.Access, "Bearer", proof: null);
        await ExpectRefusedAsync(http, tokens.Access, "DPoP", proof: null);
        using var thief = new DpopKey();
        await ExpectRefusedAsync(http, tokens.Access, "DPoP", thief.Proof("GET", Cart, tokens.Access));

        // A refresh (with a proof) gives a new pair, still bound to the same key.
        await ManualRefreshAsync(console, tokens.Refresh);
        LogRow refreshed = (await console.LogRowsAsync("POST /auth/token/refresh")).First(r => r.Label == "manual");
        Assert.Equal(("manual", 200), (refreshed.Label, refreshed.Status));
        Assert.EndsWith("DPoP proof", refreshed.Text, StringComparison.Ordinal);
        PageTokens renewed = await PageTokens.ReadAsync(console.Page);
        Assert.NotEqual(tokens.Access, renewed.Access);
        Assert.NotEqual(tokens.Refresh, renewed.Refresh);
        Assert.Equal(key.Thumbprint, Jkt(renewed.Access));

        // A reload: the same key from IndexedDB, the same session, the cart as it was.
        string sessionId = await console.SessionIdAsync();
        await console.ReloadAsync();
        await console.ExpectSignedInAsync(username, Mode);
        Assert.Equal(sessionId, await console.SessionIdAsync());
        Assert.Equal(key.Thumbprint, (await PageKey.ReadAsync(console.Page))?.Thumbprint);
        await Assertions.Expect(console.Page.Locator("#cart-table")).ToContainTextAsync("Bronze tessera");
        Assert.EndsWith("DPoP proof", (await console.LogRowsAsync("GET /auth/me"))[0].Text, StringComparison.Ordinal);
        await console.ScreenshotAsync("console-dpop");
        await SignInModeTests.ExpectNoAxeViolationsAsync(console, "dpop mode");

        // Signing out ends the session and forgets the key.
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await console.ExpectSignedOutAsync("Signed out");
        Assert.Null(await PageKey.ReadAsync(console.Page));
    }

    [Fact]
    public async Task AStolenDpopTokenIsRefusedWhereAStolenBearerTokenIsAcceptedSideBySide()
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        ConsolePage console = await ConsolePage.OpenAsync(context);
        string username = ConsolePage.NewUsername("theft");
        await console.RegisterAndSignInAsync(username, "bearer");
        ILocator button = console.Page.GetByRole(AriaRole.Button, new() { Name = "Simulate a stolen access token" });

        // Bearer first: the thief's copy works.
        await button.ClickAsync();
        await Assertions.Expect(console.Page.Locator("#theft-message")).ToContainTextAsync("was accepted");
        await ExpectCellAsync(console, "bearer", "owner", "200");
        await ExpectCellAsync(console, "bearer", "bearer-replay", "200");
        Assert.Equal(("thief: Bearer", 200), Tagged(await console.LogRowsAsync("GET /shop/cart"), "thief: Bearer"));
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await console.ExpectSignedOutAsync("Signed out");

        // Then DPoP, same user, same page: both of the thief's tries are refused, the page's own call is not.
        await console.SignInAsync(username, Mode);
        await Assertions.Expect(console.Page.Locator("#replay-button")).ToBeHiddenAsync();
        await button.ClickAsync();
        await Assertions.Expect(console.Page.Locator("#theft-message")).ToContainTextAsync("refused both ways");
        await ExpectCellAsync(console, "dpop", "owner", "200");
        await ExpectCellAsync(console, "dpop", "bearer-replay", "401");
        await ExpectCellAsync(console, "dpop", "foreign-proof", "401");
        // The bearer outcome stays beside it.
        await ExpectCellAsync(console, "bearer", "bearer-replay", "200");
        IReadOnlyList<LogRow> carts = await console.LogRowsAsync("GET /shop/cart");
        Assert.Equal(("thief: Bearer", 401), Tagged(carts, "thief: Bearer"));
        Assert.Equal(("thief: own key", 401), Tagged(carts, "thief: own key"));
        Assert.Equal(("this page", 200), Tagged(carts, "this page"));

        // The refusals did not end the page's session.
        await console.AddToCartAsync("Lead tessera");
        await console.ScreenshotAsync("console-dpop-theft", "#theft");
        await SignInModeTests.ExpectNoAxeViolationsAsync(console, "dpop theft demonstration");
    }

    [Fact]
    public async Task AStolenRefreshTokenRefreshesNothingWithoutThePagesKey()
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        ConsolePage console = await ConsolePage.OpenSignedInAsync(context, "dpoprt", Mode);
        PageTokens tokens = await PageTokens.ReadAsync(console.Page);
        using HttpClient http = Http();
        var refreshUri = new Uri(fixture.BaseAddress, "/auth/token/refresh");

        // RFC 9449 §5: the console is a public client, so its refresh token is bound to its key too.
        using (HttpResponseMessage noProof = await http.SendAsync(RefreshRequest(refreshUri, tokens.Refresh, proof: null)))
        {
            Assert.True(noProof.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{(int)noProof.StatusCode} {await noProof.Content.ReadAsStringAsync()}");
        }

        using var thief = new DpopKey();
        using (HttpResponseMessage otherKey = await http.SendAsync(RefreshRequest(refreshUri, tokens.Refresh, thief.Proof("POST", refreshUri))))
        {
            Assert.True(otherKey.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{(int)otherKey.StatusCode} {await otherKey.Content.ReadAsStringAsync()}");
        }

        // The page, which holds the key, still refreshes with that same token.
        await ManualRefreshAsync(console, tokens.Refresh);
        Assert.NotEqual(tokens.Refresh, (await PageTokens.ReadAsync(console.Page)).Refresh);
    }

    [Fact]
    public async Task TheTestsOwnProofsAreAcceptedWithTheKeyATokenIsBoundTo()
    {
        // The control for the thief above: the same proof code, with the right key, gets in.
        using HttpClient http = Http();
        string username = ConsolePage.NewUsername("dpopctl");
        (await http.PostAsJsonAsync("/auth/register", new { username, password = ConsolePage.Password })).EnsureSuccessStatusCode();
        using var key = new DpopKey();
        var tokenUri = new Uri(fixture.BaseAddress, "/auth/token");
        using var signIn = new HttpRequestMessage(HttpMethod.Post, tokenUri) { Content = JsonContent.Create(new { username, password = ConsolePage.Password }) };
        signIn.Headers.Add("DPoP", key.Proof("POST", tokenUri));
        using HttpResponseMessage signedIn = await http.SendAsync(signIn);
        JsonObject body = JsonNode.Parse(await signedIn.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(signedIn.IsSuccessStatusCode, body.ToJsonString());
        Assert.Equal("DPoP", (string?)body["token_type"]);
        string accessToken = (string)body["access_token"]!;
        Assert.Equal(key.Thumbprint, Jkt(accessToken));

        using var call = new HttpRequestMessage(HttpMethod.Get, Cart);
        call.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("DPoP", accessToken);
        call.Headers.Add("DPoP", key.Proof("GET", Cart, accessToken));
        using HttpResponseMessage cart = await http.SendAsync(call);
        Assert.Equal(HttpStatusCode.OK, cart.StatusCode);
    }

    /// <summary>Presses "Refresh now" and waits for its answer (an automatic refresh may come too: tokens live 20 s here).</summary>
    private static async Task ManualRefreshAsync(ConsolePage console, string refreshTokenBefore)
    {
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Refresh now" }).ClickAsync();
        await Assertions.Expect(console.Page.Locator("#log-table tbody tr", new() { Has = console.Page.Locator(".tag", new() { HasTextString = "manual" }) })).ToHaveCountAsync(1);
        LogRow manual = (await console.LogRowsAsync("POST /auth/token/refresh")).First(r => r.Label == "manual");
        Assert.True(manual.Status == 200, $"The page's own refresh was refused: {manual.Status}.");
        await console.Page.WaitForFunctionAsync("old => JSON.parse(localStorage.getItem('tessera.bearer') ?? 'null')?.refreshToken !== old", refreshTokenBefore);
    }

    private Uri Cart => new(fixture.BaseAddress, "/shop/cart");

    private HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        http.DefaultRequestHeaders.Add("Tessera-Console", "1");
        return http;
    }

    private static HttpRequestMessage RefreshRequest(Uri uri, string refreshToken, string? proof)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(new { refresh_token = refreshToken }) };
        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }

        return request;
    }

    private async Task ExpectRefusedAsync(HttpClient http, string accessToken, string scheme, string? proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Cart);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(scheme, accessToken);
        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }

        using HttpResponseMessage response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{scheme}{(proof is null ? "" : " + foreign proof")}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        // RFC 9449 §7.1: the refusal challenges with the DPoP scheme.
        Assert.Contains(response.Headers.WwwAuthenticate, c => string.Equals(c.Scheme, "DPoP", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task ExpectCellAsync(ConsolePage console, string mode, string row, string status) =>
        await Assertions.Expect(console.Page.Locator($"#theft-table td[data-mode='{mode}'][data-row='{row}']")).ToHaveAttributeAsync("data-status", status);

    private static (string?, int) Tagged(IReadOnlyList<LogRow> rows, string label) =>
        rows.Where(r => r.Label == label).Select(r => (r.Label, r.Status)).First();

    private static string? Jkt(string accessToken) => (string?)DpopKey.Payload(accessToken)["cnf"]?["jkt"];
}

/// <summary>The tokens the page keeps in localStorage (as bearer mode does: script-readable, which is the point of the demonstration).</summary>
internal sealed record PageTokens(string Access, string Refresh)
{
    public static async Task<PageTokens> ReadAsync(IPage page)
    {
        JsonElement stored = await page.EvaluateAsync<JsonElement>("() => JSON.parse(localStorage.getItem('tessera.bearer') ?? 'null')");
        if (stored.ValueKind != JsonValueKind.Object)
        {
            throw new Xunit.Sdk.XunitException("The page keeps no tokens.");
        }

        return new PageTokens(stored.GetProperty("accessToken").GetString()!, stored.GetProperty("refreshToken").GetString()!);
    }
}
