using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Tessera.Provider.RelyingParty.Tests;

/// <summary>
/// Tessera's server-rendered provider pages as a person uses them: the sign-in page
/// (<c>/oauth2/signin</c>) and the consent page (<c>/oauth2/consent</c>), found by label and role.
/// It also records every address the browser navigated to (redirects included), so a test can say
/// "Tessera's sign-in page never appeared" (single sign-on) rather than only "we ended up signed in".
/// </summary>
internal sealed partial class TesseraPages
{
    private readonly ProviderFixture _fixture;
    private readonly List<Uri> _visited = [];

    public TesseraPages(ProviderFixture fixture, IPage page)
    {
        _fixture = fixture;
        Page = page;
        // Every top-level navigation request, redirects included: a 302 from Tessera never shows
        // as a page, yet the browser went through it.
        page.Request += (_, request) =>
        {
            if (request.IsNavigationRequest && request.Frame == page.MainFrame)
            {
                lock (_visited)
                {
                    _visited.Add(new Uri(request.Url));
                }
            }
        };
    }

    public IPage Page { get; }

    public static async Task<TesseraPages> OpenAsync(ProviderFixture fixture, IBrowserContext context) =>
        new(fixture, await context.NewPageAsync());

    /// <summary>Forgets the pages seen so far.</summary>
    public void ResetHistory()
    {
        lock (_visited)
        {
            _visited.Clear();
        }
    }

    /// <summary>True when the browser went to Tessera's <paramref name="path"/> since the last <see cref="ResetHistory"/>.</summary>
    public bool Visited(string path)
    {
        lock (_visited)
        {
            return _visited.Any(uri => IsTessera(uri) && uri.AbsolutePath == path);
        }
    }

    public string History()
    {
        lock (_visited)
        {
            return string.Join("\n", _visited.Select(uri => uri.GetLeftPart(UriPartial.Path)));
        }
    }

    public async Task ExpectSignInPageAsync()
    {
        await Page.WaitForURLAsync(url => IsTessera(new Uri(url)) && new Uri(url).AbsolutePath == "/oauth2/signin");
        await Assertions.Expect(Page.GetByLabel("Password", new() { Exact = true })).ToBeVisibleAsync();
    }

    public async Task SignInAsync(RegisteredUser user)
    {
        await ExpectSignInPageAsync();
        await Page.GetByLabel("Username").FillAsync(user.Username);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(ProviderFixture.Password);
        await Page.GetByRole(AriaRole.Button, new() { NameRegex = SignInButton() }).ClickAsync();
    }

    /// <summary>Expects the consent page naming <paramref name="client"/>, and allows.</summary>
    public async Task ConsentAsync(RelyingPartyClient client)
    {
        await Page.WaitForURLAsync(url => IsTessera(new Uri(url)) && new Uri(url).AbsolutePath == "/oauth2/consent");
        await Assertions.Expect(Page.Locator("body")).ToContainTextAsync(client.DisplayName);
        await Page.GetByRole(AriaRole.Button, new() { NameRegex = AllowButton() }).ClickAsync();
    }

    /// <summary>Waits until the browser is back at <paramref name="relyingParty"/>'s protected page, signed in as <paramref name="user"/>.</summary>
    public async Task ExpectSignedInAtAsync(RegisteredRelyingParty relyingParty, RegisteredUser user)
    {
        await Page.WaitForURLAsync(relyingParty.Address.ToString());
        await Assertions.Expect(Page.Locator("#name")).ToHaveTextAsync(user.Username);
    }

    /// <summary>The whole first visit: protected page → sign-in → consent → back, signed in.</summary>
    public async Task SignInThroughAsync(RegisteredRelyingParty relyingParty, RegisteredUser user)
    {
        await Page.GotoAsync(relyingParty.Address.ToString());
        await SignInAsync(user);
        await ConsentAsync(relyingParty.Client);
        await ExpectSignedInAtAsync(relyingParty, user);
    }

    /// <summary>
    /// After the relying party sent the browser to the end_session_endpoint: Tessera may ask the user
    /// to confirm (RP-Initiated Logout 1.0 §2: the OP SHOULD ask whether to log out of the OP too);
    /// press Sign out when it does. Returns once the browser is at <paramref name="signedOut"/>.
    /// </summary>
    public async Task ConfirmLogoutIfAskedAsync(Uri signedOut)
    {
        await Page.WaitForURLAsync(url => url == signedOut.ToString() || (IsTessera(new Uri(url)) && new Uri(url).AbsolutePath == "/oauth2/logout"));
        if (IsTessera(new Uri(Page.Url)))
        {
            await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        }

        await Page.WaitForURLAsync(signedOut.ToString());
    }

    /// <summary>The value of the claim of type <paramref name="type"/> on the relying party's protected page.</summary>
    public async Task<string> ClaimAsync(string type) =>
        await Page.Locator($"#claims li[data-type='{type}']").First.InnerTextAsync();

    /// <summary>The tokens the relying party saved (SaveTokens), read from its /tokens page.</summary>
    public async Task<(string AccessToken, string IdToken, string RefreshToken)> TokensAsync(RegisteredRelyingParty relyingParty)
    {
        await Page.GotoAsync(new Uri(relyingParty.Address, "tokens").ToString());
        return (await Page.Locator("#access_token").InnerTextAsync(), await Page.Locator("#id_token").InnerTextAsync(), await Page.Locator("#refresh_token").InnerTextAsync());
    }

    private bool IsTessera(Uri uri) => uri.IsAbsoluteUri && uri.Authority == _fixture.Tessera.Authority;

    [GeneratedRegex("^(Sign in|Log in|Continue)$", RegexOptions.IgnoreCase)]
    private static partial Regex SignInButton();

    [GeneratedRegex("^(Allow|Approve|Accept|Continue)$", RegexOptions.IgnoreCase)]
    private static partial Regex AllowButton();
}
