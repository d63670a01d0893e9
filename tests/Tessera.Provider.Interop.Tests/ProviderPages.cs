using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Tessera.Provider.Interop.Tests;

/// <summary>
/// The person in front of the browser: on Tessera's own sign-in and consent pages (plain HTML
/// forms), signs in and allows, until the browser is sent back to the client. Knows the pages only
/// by what a person sees: labelled fields and named buttons.
/// </summary>
public static partial class ProviderPages
{
    /// <summary>
    /// Follows the authorization request in <paramref name="page"/> until the browser reaches
    /// <paramref name="redirectUri"/>; the URL it arrived at (code, state, iss).
    /// </summary>
    public static async Task<Uri> AuthorizeAsync(IPage page, Uri authorizationUrl, string redirectUri, TestUser user)
    {
        await page.GotoAsync(authorizationUrl.ToString());
        await SignInAndConsentAsync(page, redirectUri, user);
        return new Uri(page.Url);
    }

    /// <summary>Answers the provider's pages in <paramref name="page"/> until it is back at <paramref name="redirectUri"/>.</summary>
    public static async Task SignInAndConsentAsync(IPage page, string redirectUri, TestUser user)
    {
        for (int step = 0; step < 4; step++)
        {
            if (page.Url.StartsWith(redirectUri, StringComparison.Ordinal))
            {
                return;
            }

            ILocator password = page.Locator("input[type=password]");
            if (await password.CountAsync() > 0)
            {
                await page.GetByLabel(UsernameLabel()).FillAsync(user.Username);
                await password.FillAsync(user.Password);
                await SubmitAsync(page, page.Locator("form:has(input[type=password]) [type=submit]"));
                continue;
            }

            ILocator allow = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { NameRegex = AllowButton() });
            if (await allow.CountAsync() > 0)
            {
                await SubmitAsync(page, allow.First);
                continue;
            }

            throw new Xunit.Sdk.XunitException($"Neither a sign-in form nor a consent button at {page.Url}:\n{await page.ContentAsync()}");
        }

        if (!page.Url.StartsWith(redirectUri, StringComparison.Ordinal))
        {
            throw new Xunit.Sdk.XunitException($"The browser did not return to {redirectUri}; it is at {page.Url}:\n{await page.ContentAsync()}");
        }
    }

    /// <summary>Clicks a form's button and waits for the page the form leads to (a redirect or a new form).</summary>
    private static async Task SubmitAsync(IPage page, ILocator button)
    {
        string before = page.Url;
        await button.ClickAsync();
        // 60 s: the whole suite runs its assemblies in parallel on two cores, and a Chromium page load
        // behind a sign-in (Argon2id) then once took longer than Playwright's default 30 s.
        await page.WaitForURLAsync(url => !string.Equals(url, before, StringComparison.Ordinal), new PageWaitForURLOptions { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
    }

    [GeneratedRegex("user ?name|email", RegexOptions.IgnoreCase)]
    private static partial Regex UsernameLabel();

    [GeneratedRegex("^(allow|approve|accept|continue|yes|authorize)", RegexOptions.IgnoreCase)]
    private static partial Regex AllowButton();
}
