using System.Text.Json;
using Microsoft.Playwright;

namespace Tessera.Console.Tests.Passkeys;

/// <summary>
/// Passkeys in the console, end to end: Debian's Chromium with a virtual authenticator (Chrome
/// DevTools Protocol) against the real server, which verifies every ceremony with Fido2NetLib.
/// </summary>
[Collection(PasskeyCollection.Name)]
public sealed class PasskeyConsoleTests(PasskeyFixture fixture)
{
    [Theory]
    [InlineData("session", "POST /auth/session/passkey")]
    [InlineData("bearer", "POST /auth/token/passkey")]
    [InlineData("cookie", "POST /auth/token/passkey?delivery=cookie")]
    [InlineData("dpop", "POST /auth/token/passkey")]
    public async Task APasskeyAddedToTheAccountSignsInWithItsButtonInEachMode(string mode, string signInRequest)
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        PasskeyPage page = await PasskeyPage.OpenSignedInAsync(context);
        string username = await page.UsernameAsync();
        await Assertions.Expect(page.Page.Locator("#passkeys-empty")).ToBeVisibleAsync();
        await Assertions.Expect(page.CurrentDeviceMethod).ToHaveTextAsync("signed in with a password");

        await page.AddAsync("Laptop");
        // The virtual authenticator's credential is not backup eligible: it never leaves the device.
        await Assertions.Expect(page.Card("Laptop")).ToContainTextAsync("device-bound");
        await Assertions.Expect(page.Card("Laptop").Locator(".passkey-last-used")).ToHaveTextAsync("never used to sign in");

        IReadOnlyList<JsonElement> passkeys = await page.SignOutWithoutPasskeysAsync();
        await page.Authenticator.PutBackAsync(passkeys);
        await page.SignInWithPasskeyButtonAsync(mode);

        await page.Console.ExpectSignedInAsync(username, mode);
        LogRow signIn = (await page.Console.LogRowsAsync(signInRequest))[0];
        Assert.Equal(200, signIn.Status);
        // The session's method, from the server: a device-bound passkey is RFC 8176 "hwk".
        await Assertions.Expect(page.CurrentDeviceMethod).ToHaveTextAsync("signed in with a passkey (device-bound)");
        await Assertions.Expect(page.Card("Laptop").Locator(".passkey-last-used")).ToContainTextAsync("last used");
        // The sign-in holds like any other in this mode.
        await page.Console.ReloadAsync();
        await page.Console.ExpectSignedInAsync(username, mode);
    }

    [Fact]
    public async Task TheUsernameFieldsAutofillSignsInWithThePasskey()
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        PasskeyPage page = await PasskeyPage.OpenSignedInAsync(context, "bearer");
        string username = await page.UsernameAsync();
        await page.AddAsync("Phone");

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();

        // The form's conditional request (mediation "conditional") is answered by the authenticator,
        // as a person picking the passkey from the username field's suggestions: signed in again, no button.
        // (The status line still reads "Signed in" until the sign-out's answer: wait for the passkey's request.)
        await Assertions.Expect(page.Page.Locator("#log-table tbody tr").Filter(new() { HasTextString = "POST /auth/token/passkey" })).ToHaveCountAsync(1);
        await page.Console.ExpectSignedInAsync(username, "bearer");
        LogRow signIn = (await page.Console.LogRowsAsync("POST /auth/token/passkey"))[0];
        Assert.Equal((200, "passkey autofill"), (signIn.Status, signIn.Label));
        Assert.Equal("username webauthn", await page.Page.Locator("#username").GetAttributeAsync("autocomplete"));
        await Assertions.Expect(page.CurrentDeviceMethod).ToHaveTextAsync("signed in with a passkey (device-bound)");
    }

    [Fact]
    public async Task SubmittingAPasswordAbortsTheWaitingAutofillRequest()
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        PasskeyPage page = await PasskeyPage.OpenSignedInAsync(context);
        string username = await page.UsernameAsync();
        await page.AddAsync("Laptop");
        // Nobody touches the authenticator now: the autofill request waits, as in front of a person
        // who has not opened the suggestions.
        await page.Authenticator.SetUserPresenceAsync(false);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.Console.ExpectSignedOutAsync("Signed out");
        await page.Page.WaitForSelectorAsync("body[data-passkey-autofill='waiting']", new() { State = WaitForSelectorState.Attached });
        ILocator autofillRequests = page.Page.Locator("#log-table tbody tr").Filter(new() { HasTextString = "POST /auth/passkeys/assertion/options" });
        int before = await autofillRequests.CountAsync();

        // A wrong password: the waiting request is aborted at the submit (one WebAuthn request at a
        // time), and a fresh one, with fresh options, is offered once the refusal is shown.
        await page.Page.GetByLabel("Username").FillAsync(username);
        await page.Page.GetByLabel("Password", new() { Exact = true }).FillAsync("not the password");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.FormMessage).Not.ToBeEmptyAsync();
        await Assertions.Expect(autofillRequests).ToHaveCountAsync(before + 1);
        await page.Page.WaitForSelectorAsync("body[data-passkey-autofill='waiting']", new() { State = WaitForSelectorState.Attached });

        // The right password: aborted again, and the password's session is the one in use.
        await page.Console.SignInAsync(username, "session");
        Assert.Equal("off", await page.Page.EvaluateAsync<string>("document.body.dataset.passkeyAutofill"));
        await Assertions.Expect(page.CurrentDeviceMethod).ToHaveTextAsync("signed in with a password");
    }

    [Fact]
    public async Task APasskeyIsRenamedAndOnceRemovedNoLongerSignsIn()
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        PasskeyPage page = await PasskeyPage.OpenSignedInAsync(context, "cookie");
        await page.AddAsync("Laptop");

        // The authenticator already holds a passkey for this account (the options exclude it).
        await page.Page.GetByLabel("Name of the new passkey").FillAsync("Again");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.Message).ToHaveTextAsync("This authenticator already holds a passkey for your account.");
        await Assertions.Expect(page.Cards).ToHaveCountAsync(1);

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Rename passkey: Laptop" }).ClickAsync();
        await SignInModeTests.ExpectNoAxeViolationsAsync(page.Console, "passkey rename form");
        await page.Page.GetByLabel("New name for Laptop").FillAsync("Work laptop");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Save name" }).ClickAsync();
        await Assertions.Expect(page.Message).ToHaveTextAsync("Renamed to \"Work laptop\".");
        await Assertions.Expect(page.Card("Work laptop")).ToBeVisibleAsync();
        await Assertions.Expect(page.Cards).ToHaveCountAsync(1);
        await page.Page.GetByLabel("Name of the new passkey").FillAsync(string.Empty);
        await page.Console.ScreenshotAsync("console-passkeys", "#passkeys");

        // Removal asks first; "Keep it" keeps it.
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Remove passkey: Work laptop" }).ClickAsync();
        await Assertions.Expect(page.Page.Locator("#passkey-confirm")).ToBeVisibleAsync();
        await SignInModeTests.ExpectNoAxeViolationsAsync(page.Console, "passkey removal dialog");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync();
        await Assertions.Expect(page.Page.Locator("#passkey-confirm")).ToBeHiddenAsync();
        await Assertions.Expect(page.Cards).ToHaveCountAsync(1);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Remove passkey: Work laptop" }).ClickAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Remove Work laptop" }).ClickAsync();
        await Assertions.Expect(page.Message).ToHaveTextAsync("Passkey \"Work laptop\" removed.");
        await Assertions.Expect(page.Cards).ToHaveCountAsync(0);
        await Assertions.Expect(page.Page.Locator("#passkeys-empty")).ToBeVisibleAsync();

        // The authenticator still holds the key; the server no longer accepts it.
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Assertions.Expect(page.FormMessage).ToContainTextAsync("Passkey sign-in refused");
        await Assertions.Expect(page.FormMessage).ToContainTextAsync("passkey_invalid");
        await page.Console.ExpectSignedOutAsync("Signed out");
    }

    [Fact]
    public async Task GoingPasswordlessEndsThePasswordWhileThePasskeyStillSignsIn()
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        PasskeyPage page = await PasskeyPage.OpenSignedInAsync(context);
        string username = await page.UsernameAsync();
        ILocator goPasswordless = page.Page.GetByRole(AriaRole.Button, new() { Name = "Go passwordless" });
        await Assertions.Expect(goPasswordless).ToBeHiddenAsync(); // no passkey yet: it would lock the account out
        await page.AddAsync("Laptop");

        await goPasswordless.ClickAsync();
        await SignInModeTests.ExpectNoAxeViolationsAsync(page.Console, "go passwordless form");
        await page.Page.GetByLabel("Your current password").FillAsync("not the password");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Remove my password" }).ClickAsync();
        await Assertions.Expect(page.Page.Locator("#passwordless-message")).ToContainTextAsync("invalid_credentials");
        await Assertions.Expect(page.Section).ToBeVisibleAsync(); // a wrong password keeps the session
        await page.Page.GetByLabel("Your current password").FillAsync(ConsolePage.Password);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Remove my password" }).ClickAsync();
        await Assertions.Expect(page.Message).ToHaveTextAsync("Your password is removed: only your passkeys sign you in now.");
        await Assertions.Expect(goPasswordless).ToBeHiddenAsync();
        await Assertions.Expect(page.Page.Locator("#passwordless-done")).ToBeVisibleAsync();

        // The last passkey of an account without a password stays.
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Remove passkey: Laptop" }).ClickAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Remove Laptop" }).ClickAsync();
        await Assertions.Expect(page.Message).ToContainTextAsync("last_passkey");
        await Assertions.Expect(page.Cards).ToHaveCountAsync(1);

        IReadOnlyList<JsonElement> passkeys = await page.SignOutWithoutPasskeysAsync();
        await page.Page.GetByLabel("Username").FillAsync(username);
        await page.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(ConsolePage.Password);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.FormMessage).Not.ToBeEmptyAsync();
        Assert.Equal(401, (await page.Console.LogRowsAsync("POST /auth/session"))[0].Status);
        await page.ExpectAutofillEndedAsync(); // offered again after the refusal, with nothing to offer yet
        await page.Console.ExpectSignedOutAsync("Signed out");

        await page.Authenticator.PutBackAsync(passkeys);
        await page.SignInWithPasskeyButtonAsync("session");
        await page.Console.ExpectSignedInAsync(username, "session");
        await Assertions.Expect(page.Page.Locator("#passwordless-done")).ToBeVisibleAsync();

        // No password to type when deleting the account: the fresh passkey sign-in confirms it.
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Delete my account", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Page.Locator("#delete-account-password")).ToBeHiddenAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Delete my account for good" }).ClickAsync();
        await page.Console.ExpectSignedOutAsync("Your account is deleted");
    }

    [Fact]
    public async Task AnOriginTheServerDoesNotListIsRefusedForRegistrationAndSignIn()
    {
        // Same relying party id to the browser (localhost), another port: an origin not in Tessera:Passkeys:Origins.
        await using IBrowserContext context = await fixture.NewContextAsync(fixture.UnlistedOrigin);
        PasskeyPage page = await PasskeyPage.OpenSignedInAsync(context);
        string username = await page.UsernameAsync();

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.Message).ToContainTextAsync("passkey_registration_failed");
        await Assertions.Expect(page.Cards).ToHaveCountAsync(0);

        // A passkey made on the listed origin, in the same browser, signs in there and nowhere else.
        await page.Page.GotoAsync(fixture.BaseAddress.ToString());
        await page.Page.WaitForSelectorAsync("body[data-ready='signed-out']", new() { State = WaitForSelectorState.Attached });
        await page.Console.SignInAsync(username, "session");
        await page.AddAsync("Laptop");
        IReadOnlyList<JsonElement> passkeys = await page.SignOutWithoutPasskeysAsync();

        await page.Page.GotoAsync(fixture.UnlistedOrigin.ToString());
        await page.Page.WaitForSelectorAsync("body[data-ready='signed-out']", new() { State = WaitForSelectorState.Attached });
        await page.ExpectAutofillEndedAsync();
        await page.Authenticator.PutBackAsync(passkeys);
        await page.SignInWithPasskeyButtonAsync("session");

        await Assertions.Expect(page.FormMessage).ToContainTextAsync("passkey_invalid");
        Assert.Equal(401, (await page.Console.LogRowsAsync("POST /auth/session/passkey"))[0].Status);
        await Assertions.Expect(page.Page.Locator("#sign-in")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task APageOutsideTheRelyingPartyCannotMakeOrUseAPasskey()
    {
        // http://127.0.0.1: an IP address is not within the relying party id "localhost", so the
        // browser itself refuses the server's options (WebAuthn L3 §5.1.3 step 7, §5.1.4.1 step 8).
        await using IBrowserContext context = await fixture.NewContextAsync(fixture.IpOrigin);
        PasskeyPage page = await PasskeyPage.OpenSignedInAsync(context);

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.Message).ToHaveTextAsync("The browser refused: this page's address does not belong to the server's relying party.");
        await Assertions.Expect(page.Cards).ToHaveCountAsync(0);
        Assert.Empty(await page.Console.LogRowsAsync("POST /auth/passkeys/registration"));
        Assert.Empty(await page.Authenticator.CredentialsAsync());

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.Console.ExpectSignedOutAsync("Signed out");
        await page.SignInWithPasskeyButtonAsync("session");
        await Assertions.Expect(page.FormMessage).ToHaveTextAsync("The browser refused: this page's address does not belong to the server's relying party.");
    }
}
