using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace Tessera.Console.Tests;

/// <summary>
/// The whole journey in each of the three modes, in a real Chromium against the real server. One
/// test per mode walks through everything (signing in costs the most), checking along the way.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignInModeTests(ConsoleFixture fixture)
{
    [Theory]
    [InlineData("session")]
    [InlineData("bearer")]
    [InlineData("cookie")]
    public async Task RegisterSignInShopToAnOrderReloadAndStaySignedInThenSignOutAndBeRefused(string mode)
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        ConsolePage console = await ConsolePage.OpenAsync(context);
        string username = ConsolePage.NewUsername(mode);

        await console.RegisterAndSignInAsync(username, mode);
        await ExpectTheLogToShowTheCredentialAsync(console, mode);
        await console.AddToCartAsync("Bronze tessera");
        await console.AddToCartAsync("Mosaic starter kit");
        await Assertions.Expect(console.Page.Locator("#cart-total")).ToContainTextAsync("29.50");
        await console.PlaceOrderAsync();
        await Assertions.Expect(console.Page.Locator("#orders li")).ToHaveCountAsync(1);
        await Assertions.Expect(console.Page.Locator("#cart-empty")).ToBeVisibleAsync();
        await console.ScreenshotAsync($"console-{mode}-log", "#log"); // before the reload: sign-in and shopping

        // A reload keeps the sign-in (cookie, or the tokens the page kept) and the server's data.
        await console.ReloadAsync();
        await console.ExpectSignedInAsync(username, mode);
        await Assertions.Expect(console.Page.Locator("#orders li")).ToHaveCountAsync(1);
        await Assertions.Expect(console.Page.Locator("#orders li")).ToContainTextAsync("29.50");
        await ExpectTheServersViewOfTheSessionAsync(console, mode);
        await console.ScreenshotAsync($"console-{mode}");
        await ExpectNoAxeViolationsAsync(console, mode);

        BrowserContextCookiesResult[] cookies = [.. await context.CookiesAsync([fixture.BaseAddress + "auth/token"])];
        await ExpectCookiesOutOfScriptsReachAsync(console, mode, cookies);

        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await console.ExpectSignedOutAsync("Signed out");
        Assert.Equal(401, (await console.FetchFromPageAsync("/shop/cart")).Status);

        // What a thief who copied the credential before sign-out would get: refused, by the server.
        if (mode == "bearer")
        {
            await console.Page.GetByRole(AriaRole.Button, new() { Name = "Try the cart again" }).ClickAsync();
            await Assertions.Expect(console.Page.Locator("#try-again-result")).ToContainTextAsync("Refused: 401 session_revoked");
        }
        else
        {
            await context.AddCookiesAsync([.. cookies.Select(c => new Cookie
            {
                Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Secure = c.Secure, HttpOnly = c.HttpOnly, SameSite = c.SameSite,
            })]);
            Assert.Equal((401, "session_revoked"), await console.FetchFromPageAsync("/shop/cart"));
        }
    }

    /// <summary>The session as the server keeps it, with the server's default lifetimes counting down.</summary>
    private static async Task ExpectTheServersViewOfTheSessionAsync(ConsolePage console, string mode)
    {
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Ask the server again" }).ClickAsync();
        // Session cookie: idle 30 min, absolute 12 h. Token session: refresh idle 14 days, absolute 30 days.
        (string idle, string absolute) = mode == "session" ? (@"\(in (29|30) min \d\d s\)", @"\(in 1[12] h \d\d min\)") : (@"\(in 13 d 23 h\)", @"\(in 29 d 23 h\)");
        await Assertions.Expect(console.Page.Locator("#idle-expiry .countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(idle));
        await Assertions.Expect(console.Page.Locator("#absolute-expiry .countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(absolute));
        await Assertions.Expect(console.Page.Locator("#session-facts")).ToContainTextAsync(mode == "session" ? "cookie" : "token (refresh token + access tokens)");
        await Assertions.Expect(console.Page.Locator("#session-facts")).ToContainTextAsync("127.0.0.1");
        await Assertions.Expect(console.Page.Locator("#session-facts")).ToContainTextAsync("HeadlessChrome");
    }

    /// <summary>The log row of the cart, fetched signed in, shows the credential the mode sends, with its size.</summary>
    private static async Task ExpectTheLogToShowTheCredentialAsync(ConsolePage console, string mode)
    {
        LogRow cart = (await console.LogRowsAsync("GET /shop/cart"))[0];
        Assert.Equal(200, cart.Status);
        Assert.Matches(mode switch
        {
            "session" => @"^Cookie: \d{2,} B \(__Host-tessera-session\)$",
            "bearer" => @"^Authorization: \d{3,} B$",
            // Both token cookies are __Host- (Path=/): the page's requests carry the refresh cookie too.
            _ => @"^Cookie: \d{3,} B \(__Host-tessera-at, __Host-tessera-rt\)$",
        }, cart.Text);
        Assert.Equal(mode == "bearer" ? "authorization" : "cookie", cart.Credential);

        // The catalog, fetched before signing in, carried nothing; the sign-in set the mode's cookies.
        Assert.Equal("none", (await console.LogRowsAsync("GET /shop/products"))[^1].Credential);
        LogRow signIn = (await console.LogRowsAsync(mode switch { "session" => "POST /auth/session", "bearer" => "POST /auth/token", _ => "POST /auth/token?delivery=cookie" }))[0];
        Assert.Equal(mode switch { "session" => "__Host-tessera-session", "bearer" => "—", _ => "__Host-tessera-at, __Host-tessera-rt" }, signIn.SetCookies);
    }

    /// <summary>The browser holds the credential cookies (HttpOnly, Secure), and script sees none of them.</summary>
    private static async Task ExpectCookiesOutOfScriptsReachAsync(ConsolePage console, string mode, BrowserContextCookiesResult[] cookies)
    {
        string[] expected = mode switch { "session" => ["__Host-tessera-session"], "cookie" => ["__Host-tessera-at", "__Host-tessera-rt"], _ => [] };
        Assert.Equal(expected.Order(StringComparer.Ordinal), cookies.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(cookies, c => Assert.True(c.HttpOnly && c.Secure, $"{c.Name} is not HttpOnly and Secure"));
        Assert.Equal(string.Empty, await console.Page.EvaluateAsync<string>("document.cookie"));
    }

    /// <summary>axe-core's WCAG 2.x A/AA rules and best practices: names and labels, contrast, landmarks, tables…</summary>
    internal static async Task ExpectNoAxeViolationsAsync(ConsolePage console, string state)
    {
        AxeResult result = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(console.Page, new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
        Assert.True(result.Violations.Length == 0, $"{state}: " + string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))})")));
        Assert.NotEmpty(result.Passes);
    }
}
