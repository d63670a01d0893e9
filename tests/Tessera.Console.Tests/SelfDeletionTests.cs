using Microsoft.Playwright;

namespace Tessera.Console.Tests;

/// <summary>"Delete my account": the password again, then the page is signed out and the name is gone.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SelfDeletionTests(ConsoleFixture fixture)
{
    [Theory]
    [InlineData("session")]
    [InlineData("bearer")]
    public async Task AWrongPasswordKeepsTheAccountAndTheRightOneDeletesIt(string mode)
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        string username = ConsolePage.NewUsername("leaving");
        ConsolePage console = await ConsolePage.OpenAsync(context);
        await console.RegisterAndSignInAsync(username, mode);
        IPage page = console.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete my account", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Your password")).ToBeFocusedAsync();
        await page.GetByLabel("Your password").FillAsync("not the password at all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete my account for good" }).ClickAsync();

        await Assertions.Expect(page.Locator("#delete-account-message")).ToContainTextAsync("(invalid_credentials)");
        await Assertions.Expect(page.GetByLabel("Your password")).ToBeFocusedAsync();
        // The session is still good: a reload asks the server again and stays signed in.
        await console.ReloadAsync();
        await console.ExpectSignedInAsync(username, mode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete my account", Exact = true }).ClickAsync();

        await page.GetByLabel("Your password").FillAsync(ConsolePage.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete my account for good" }).ClickAsync();

        await console.ExpectSignedOutAsync("Your account is deleted");
        Assert.Contains(await console.LogRowsAsync("DELETE /auth/me"), r => r.Status == 204);
        Assert.Equal(401, (await console.FetchFromPageAsync("/shop/cart")).Status);
        await console.ReloadAsync();
        await console.ExpectSignedOutAsync("Signed out");
        // The name signs in no more.
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(ConsolePage.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#form-message")).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#account")).ToBeHiddenAsync();
    }
}
