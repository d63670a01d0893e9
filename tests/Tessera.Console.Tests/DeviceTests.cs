using Microsoft.Playwright;

namespace Tessera.Console.Tests;

/// <summary>Two browsers, one user: the device list, and ending the other device's session.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class DeviceTests(ConsoleFixture fixture)
{
    [Theory]
    [InlineData("session", "bearer")]
    [InlineData("cookie", "session")]
    public async Task EndingAnotherDevicesSessionFromASecondBrowserSignsThatDeviceOut(string firstMode, string secondMode)
    {
        string username = ConsolePage.NewUsername("devices");
        await using IBrowserContext laptop = await fixture.NewContextAsync();
        ConsolePage first = await ConsolePage.OpenAsync(laptop);
        await first.RegisterAndSignInAsync(username, firstMode);
        string laptopSession = await first.SessionIdAsync();

        await using IBrowserContext phone = await fixture.NewContextAsync();
        ConsolePage second = await ConsolePage.OpenAsync(phone);
        await second.SignInAsync(username, secondMode);
        await Assertions.Expect(second.Page.Locator("#device-list li")).ToHaveCountAsync(2);
        await Assertions.Expect(second.Page.Locator($"#device-list li[data-session-id='{laptopSession}']")).ToContainTextAsync("Another device");

        await second.Page.GetByRole(AriaRole.Button, new() { Name = $"End this session: {laptopSession}", Exact = true }).ClickAsync();

        await Assertions.Expect(second.Page.Locator("#account-message")).ToHaveTextAsync($"Session {laptopSession} ended.");
        await Assertions.Expect(second.Page.Locator("#device-list li")).ToHaveCountAsync(1);
        // The laptop finds out at its next request: here, a reload.
        await first.ReloadAsync();
        await first.ExpectSignedOutAsync("This session has ended");
        await second.ReloadAsync();
        await second.ExpectSignedInAsync(username, secondMode);
    }

    [Fact]
    public async Task SignOutOtherDevicesKeepsOnlyThisOne()
    {
        string username = ConsolePage.NewUsername("others");
        await using IBrowserContext one = await fixture.NewContextAsync();
        ConsolePage first = await ConsolePage.OpenAsync(one);
        await first.RegisterAndSignInAsync(username, "bearer");
        await using IBrowserContext two = await fixture.NewContextAsync();
        ConsolePage second = await ConsolePage.OpenAsync(two);
        await second.SignInAsync(username, "session");

        await second.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out other devices" }).ClickAsync();

        await Assertions.Expect(second.Page.Locator("#account-message")).ToHaveTextAsync("Signed out 1 other session(s).");
        await Assertions.Expect(first.Page.Locator("#status")).ToContainTextAsync("Signed in");
        await first.Page.GetByRole(AriaRole.Button, new() { Name = "Add to cart: Lead tessera" }).ClickAsync();
        await first.ExpectSignedOutAsync("This session has ended");
    }
}
