using Microsoft.Playwright;

namespace Tessera.Console.Tests;

/// <summary>Token modes: the decoded access token, the automatic refresh across tabs, and a replayed refresh token.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TokenTests(ConsoleFixture fixture)
{
    [Theory]
    [InlineData("bearer")]
    [InlineData("cookie")]
    public async Task ReplayingAStolenRefreshTokenRevokesTheSession(string mode)
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        ConsolePage console = await ConsolePage.OpenSignedInAsync(context, "replay", mode);

        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Simulate a stolen refresh token" }).ClickAsync();

        await console.ExpectSignedOutAsync("refresh_token_reused");
        LogRow thief = (await console.LogRowsAsync(mode == "bearer" ? "POST /auth/token/refresh" : "POST /auth/token/simulate-theft")).Last();
        Assert.Equal(("thief", 200), (thief.Label, thief.Status));
        LogRow real = (await console.LogRowsAsync("POST /auth/token/refresh"))[0];
        Assert.Equal(("real client", 401), (real.Label, real.Status));
        if (mode == "bearer")
        {
            await Assertions.Expect(console.Page.Locator("#status")).ToContainTextAsync("the thief's access token is refused too (session_revoked)");
        }

        // Revoked on the server, not just forgotten by the page.
        await console.ReloadAsync();
        await console.ExpectSignedOutAsync("Signed out");
        Assert.Equal(401, (await console.FetchFromPageAsync("/auth/me")).Status);
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("cookie")]
    public async Task TheAccessTokenIsDecodedWithEachClaimExplained(string mode)
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        ConsolePage console = await ConsolePage.OpenSignedInAsync(context, "jwt", mode);
        string sessionId = await console.SessionIdAsync();

        // In cookie mode the page cannot see the token itself, only what the server decoded for it.
        await Assertions.Expect(console.Page.Locator("#jwt-raw .jwt-header")).ToHaveCountAsync(mode == "bearer" ? 1 : 0);
        if (mode == "bearer")
        {
            await Assertions.Expect(console.Page.Locator("#jwt-raw .jwt-header")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^eyJ"));
        }

        await Assertions.Expect(console.Page.Locator("tr[data-claim='typ'] td").First).ToHaveTextAsync("\"at+jwt\"");
        await Assertions.Expect(console.Page.Locator("tr[data-claim='sid'] td").First).ToHaveTextAsync($"\"{sessionId}\"");
        await Assertions.Expect(console.Page.Locator("tr[data-claim='exp'] td").Last).ToContainTextAsync("expires at");
        await Assertions.Expect(console.Page.Locator("tr[data-claim='exp'] .countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\(in \d+ s\)$"));
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("cookie")]
    public async Task TwoTabsShareTheTokensAndRefreshThemOnceBeforeTheyExpire(string mode)
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        ConsolePage first = await ConsolePage.OpenAsync(context);
        string username = ConsolePage.NewUsername("tabs");
        await first.RegisterAndSignInAsync(username, mode);
        ConsolePage second = await ConsolePage.OpenAsync(context);
        await second.ExpectSignedInAsync(username, mode);

        // The access token lives 20 s; both tabs plan a refresh 5 s before it expires. One of them
        // takes the lock and refreshes, the other finds the new tokens and uses them.
        // The first successful refresh ends the wait, whatever started it: on a loaded machine a tab's
        // timer can fire late and an API call's 401 refresh the pair first; waiting for an "automatic"
        // one then sat through the next token's own refresh and counted two. Two tabs refreshing the
        // same pair still shows as two below.
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await SuccessfulRefreshesAsync(first) + await SuccessfulRefreshesAsync(second) > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "No automatic refresh within a minute.");
            await first.Page.WaitForTimeoutAsync(500);
        }

        // Time for a second, wrong, refresh to show up if the tabs did not coordinate.
        await first.Page.WaitForTimeoutAsync(3000);

        int refreshes = (await first.LogRowsAsync("POST /auth/token/refresh")).Count + (await second.LogRowsAsync("POST /auth/token/refresh")).Count;
        Assert.Equal(1, refreshes);
        await first.Page.GetByRole(AriaRole.Button, new() { Name = "Add to cart: Lead tessera" }).ClickAsync();
        await Assertions.Expect(first.Page.Locator("#shop-message")).ToHaveTextAsync("Lead tessera added.");
        await second.Page.GetByRole(AriaRole.Button, new() { Name = "Add to cart: Bone tessera" }).ClickAsync();
        await Assertions.Expect(second.Page.Locator("#shop-message")).ToHaveTextAsync("Bone tessera added.");
        Assert.DoesNotContain((await first.LogRowsAsync("POST /shop/cart/items")).Concat(await second.LogRowsAsync("POST /shop/cart/items")), r => r.Status != 200);

        // And the tabs' timers do refresh on their own (if a 401 got there first above, the next pair's timer will).
        while (await AutomaticRefreshesAsync(first) + await AutomaticRefreshesAsync(second) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline.AddSeconds(30), "No automatic refresh.");
            await first.Page.WaitForTimeoutAsync(500);
        }
    }

    private static async Task<int> AutomaticRefreshesAsync(ConsolePage console) =>
        (await console.LogRowsAsync("POST /auth/token/refresh")).Count(r => r is { Label: "automatic", Status: 200 });

    private static async Task<int> SuccessfulRefreshesAsync(ConsolePage console) =>
        (await console.LogRowsAsync("POST /auth/token/refresh")).Count(r => r.Status == 200);
}
