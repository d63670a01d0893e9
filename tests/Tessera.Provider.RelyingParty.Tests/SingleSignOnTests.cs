using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Tessera.Provider.RelyingParty.Tests;

/// <summary>
/// One sign-in at Tessera serves every relying party in the browser (its session cookie is the SSO
/// session); consent is asked once per client and remembered; prompt=login and max_age
/// (OIDC Core §3.1.2.1) ask for the password again even so.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class SingleSignOnTests(ProviderFixture fixture, ITestOutputHelper output) : ProviderTest(fixture, output)
{
    [Fact]
    public async Task ASecondRelyingPartySignsInWithoutTheSignInPageAndAsksConsentOnce()
    {
        RegisteredUser user = await Fixture.RegisterUserAsync("sso");
        await using IBrowserContext browser = await Fixture.NewContextAsync();
        TesseraPages pages = await TesseraPages.OpenAsync(Fixture, browser);
        await pages.SignInThroughAsync(Fixture.Shop, user);
        string shopSub = await pages.ClaimAsync("sub");

        // Another client: no password, but its own consent.
        pages.ResetHistory();
        await pages.Page.GotoAsync(Fixture.Wiki.Address.ToString());
        await pages.ConsentAsync(Fixture.Wiki.Client);
        await pages.ExpectSignedInAtAsync(Fixture.Wiki, user);
        Assert.False(pages.Visited("/oauth2/signin"), pages.History());
        Assert.Equal(shopSub, await pages.ClaimAsync("sub"));

        // The wiki forgets its own sign-in (its cookie only): back through Tessera without a page of it.
        await browser.ClearCookiesAsync(new() { Name = "wiki" });
        pages.ResetHistory();
        await pages.Page.GotoAsync(Fixture.Wiki.Address.ToString());
        await pages.ExpectSignedInAtAsync(Fixture.Wiki, user);
        Assert.True(pages.Visited("/oauth2/authorize"), pages.History());
        Assert.False(pages.Visited("/oauth2/signin"), pages.History());
        Assert.False(pages.Visited("/oauth2/consent"), pages.History());
    }

    [Fact]
    public async Task PromptLoginAsksForThePasswordDespiteTheSession()
    {
        RegisteredUser user = await Fixture.RegisterUserAsync("prompt");
        await using IBrowserContext browser = await Fixture.NewContextAsync();
        TesseraPages pages = await TesseraPages.OpenAsync(Fixture, browser);
        await pages.SignInThroughAsync(Fixture.Shop, user);

        pages.ResetHistory();
        await pages.Page.GotoAsync(new Uri(Fixture.Shop.Address, "login?prompt=login").ToString());
        await pages.SignInAsync(user);
        // Consent was given already; only the password is asked again.
        await pages.ExpectSignedInAtAsync(Fixture.Shop, user);
        Assert.False(pages.Visited("/oauth2/consent"), pages.History());
    }

    [Fact]
    public async Task MaxAgeZeroAsksForThePasswordAndALongMaxAgeDoesNot()
    {
        RegisteredUser user = await Fixture.RegisterUserAsync("maxage");
        await using IBrowserContext browser = await Fixture.NewContextAsync();
        TesseraPages pages = await TesseraPages.OpenAsync(Fixture, browser);
        await pages.SignInThroughAsync(Fixture.Shop, user);
        long firstAuthTime = await AuthTimeAsync(pages);

        pages.ResetHistory();
        await pages.Page.GotoAsync(new Uri(Fixture.Shop.Address, "login?maxAge=3600").ToString());
        await pages.ExpectSignedInAtAsync(Fixture.Shop, user);
        Assert.False(pages.Visited("/oauth2/signin"), pages.History());
        Assert.Equal(firstAuthTime, await AuthTimeAsync(pages));

        // Any sign-in is older than zero seconds (OIDC Core §3.1.2.1: "max_age=0" is prompt=login).
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        pages.ResetHistory();
        await pages.Page.GotoAsync(new Uri(Fixture.Shop.Address, "login?maxAge=0").ToString());
        await pages.SignInAsync(user);
        await pages.ExpectSignedInAtAsync(Fixture.Shop, user);
        Assert.True(await AuthTimeAsync(pages) > firstAuthTime);
    }

    private static async Task<long> AuthTimeAsync(TesseraPages pages) =>
        long.Parse(await pages.ClaimAsync("auth_time"), System.Globalization.CultureInfo.InvariantCulture);
}
