using Microsoft.Playwright;

namespace Tessera.Console.Tests;

/// <summary>Labels, keyboard use, contrast and a phone-sized screen.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AccessibilityTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task TheSignInFormWorksWithTheKeyboardAlone()
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        ConsolePage console = await ConsolePage.OpenAsync(context);
        string username = ConsolePage.NewUsername("keys");
        await console.RegisterAsync(username);
        await console.ReloadAsync(); // nothing focused: keyboard navigation starts at the top
        IKeyboard keyboard = console.Page.Keyboard;

        // Tab order: the skip link, then the form's fields in reading order.
        await keyboard.PressAsync("Tab");
        Assert.Equal("Skip to the console", await FocusedAsync(console, "el => el.textContent"));
        await keyboard.PressAsync("Tab");
        Assert.Equal("username", await FocusedAsync(console, "el => el.id"));
        await keyboard.TypeAsync(username);
        await keyboard.PressAsync("Tab");
        Assert.Equal("password", await FocusedAsync(console, "el => el.id"));
        await keyboard.TypeAsync(ConsolePage.Password);
        await keyboard.PressAsync("Tab");
        Assert.Equal("mode-session", await FocusedAsync(console, "el => el.id"));
        await keyboard.PressAsync("ArrowDown");
        Assert.Equal("mode-bearer", await FocusedAsync(console, "el => el.id"));
        await keyboard.PressAsync("Tab");
        Assert.Equal("sign-in-button", await FocusedAsync(console, "el => el.id"));
        await keyboard.PressAsync("Enter");

        await console.ExpectSignedInAsync(username, "bearer");
        // Every button can take the focus and shows a focus ring.
        await console.Page.Locator("#sign-out-button").FocusAsync();
        Assert.NotEqual("none", await FocusedAsync(console, "el => getComputedStyle(el).outlineStyle"));
    }

    [Fact]
    public async Task AxeFindsNoViolationsWhenSignedOut()
    {
        // The signed-in states are checked in each mode's journey (SignInModeTests).
        await using IBrowserContext context = await fixture.NewContextAsync();
        ConsolePage console = await ConsolePage.OpenAsync(context);

        await SignInModeTests.ExpectNoAxeViolationsAsync(console, "signed out");
    }

    [Fact]
    public async Task AxeFindsNoViolationsInTheAdminViewAndTheAccountDeletionForm()
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        AdminConsole admin = await AdminConsole.OpenAsync(fixture, context);
        string username = await admin.Page.Locator("#who").InnerTextAsync();
        await admin.OpenUserAsync(username);
        await Assertions.Expect(admin.Page.Locator("#admin-sessions-table tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(admin.Page.Locator("#admin-audit-table tbody tr").First).ToBeVisibleAsync();

        await SignInModeTests.ExpectNoAxeViolationsAsync(admin.Console, "admin view");
        await admin.Console.ScreenshotAsync("console-admin", "#admin");

        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Delete my account", Exact = true }).ClickAsync();
        await SignInModeTests.ExpectNoAxeViolationsAsync(admin.Console, "account deletion form");
    }

    [Fact]
    public async Task OnAPhoneSizedScreenNothingScrollsSideways()
    {
        await using IBrowserContext context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            IsMobile = true,
            HasTouch = true,
        });
        context.SetDefaultTimeout(30_000);
        ConsolePage console = await ConsolePage.OpenSignedInAsync(context, "phone", "bearer");

        int overflow = await console.Page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");

        Assert.True(overflow <= 0, $"The page is {overflow}px wider than a 360px screen.");
        await console.ScreenshotAsync("console-phone");
    }

    private static Task<string> FocusedAsync(ConsolePage console, string expression) =>
        console.Page.EvaluateAsync<string>($"({expression})(document.activeElement)");
}
