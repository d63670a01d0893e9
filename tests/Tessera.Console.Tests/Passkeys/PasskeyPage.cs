using System.Text.Json;
using Microsoft.Playwright;

namespace Tessera.Console.Tests.Passkeys;

/// <summary>The console's passkey parts as a person uses them, in a page with its own virtual authenticator.</summary>
internal sealed class PasskeyPage(ConsolePage console, VirtualAuthenticator authenticator)
{
    public ConsolePage Console { get; } = console;

    public VirtualAuthenticator Authenticator { get; } = authenticator;

    public IPage Page => Console.Page;

    public ILocator Section => Page.Locator("#passkeys");

    public ILocator Message => Page.Locator("#passkeys-message");

    public ILocator Cards => Page.Locator("#passkey-list li");

    public ILocator FormMessage => Page.Locator("#form-message");

    /// <summary>Opens the console (a virtual authenticator attached first), registers a user and signs in with the password.</summary>
    public static async Task<PasskeyPage> OpenSignedInAsync(IBrowserContext context, string mode = "session")
    {
        PasskeyPage page = await OpenAsync(context);
        string username = ConsolePage.NewUsername("passkey");
        await page.Console.RegisterAndSignInAsync(username, mode);
        await Assertions.Expect(page.Section).ToBeVisibleAsync();
        return page;
    }

    public static async Task<PasskeyPage> OpenAsync(IBrowserContext context)
    {
        IPage page = await context.NewPageAsync();
        VirtualAuthenticator authenticator = await VirtualAuthenticator.AttachAsync(page);
        var console = new ConsolePage(page);
        await console.GotoAsync();
        return new PasskeyPage(console, authenticator);
    }

    public Task<string> UsernameAsync() => Page.Locator("#who").InnerTextAsync();

    public ILocator Card(string name) => Page.Locator("#passkey-list li").Filter(new() { Has = Page.Locator(".passkey-name", new() { HasTextString = name }) });

    /// <summary>"Add a passkey" with a name; waits until the list shows it.</summary>
    public async Task AddAsync(string name)
    {
        await Page.GetByLabel("Name of the new passkey").FillAsync(name);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(Message).ToHaveTextAsync($"Passkey \"{name}\" added. You can sign in with it from now on.");
        await Assertions.Expect(Card(name)).ToBeVisibleAsync();
    }

    /// <summary>
    /// Signs out with the passkeys taken out of the authenticator first (returned, to put back):
    /// with one in it, the sign-in form's autofill request would sign straight back in.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> SignOutWithoutPasskeysAsync()
    {
        IReadOnlyList<JsonElement> credentials = await Authenticator.TakeOutAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Console.ExpectSignedOutAsync("Signed out");
        await ExpectAutofillEndedAsync();
        return credentials;
    }

    /// <summary>The autofill request has settled (found nothing to offer, or was refused): nothing is pending.</summary>
    public Task ExpectAutofillEndedAsync() =>
        Page.WaitForSelectorAsync("body[data-passkey-autofill='ended']", new() { State = WaitForSelectorState.Attached });

    public async Task SignInWithPasskeyButtonAsync(string mode)
    {
        await Page.Locator($"#mode-{mode}").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
    }

    /// <summary>The text the current device's card in the device list shows for how it signed in.</summary>
    public ILocator CurrentDeviceMethod => Page.Locator("#device-list li.current .sign-in-method");
}
