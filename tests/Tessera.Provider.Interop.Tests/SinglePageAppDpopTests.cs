using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Tessera.Provider.Interop.Tests;

/// <summary>
/// The single-page app on another origin with oauth4webapi's DPoP handle (RFC 9449) in Chromium: a
/// non-extractable key made by the library, proofs on the token request, userinfo and every
/// cross-origin shop call (CORS lets the DPoP header through), the token refused as Bearer.
/// </summary>
[Collection(InteropCollection.Name)]
public sealed class SinglePageAppDpopTests(InteropFixture fixture)
{
    [Fact]
    public async Task TheAppSignsInWithDpopAndOrdersWithProofsOnEveryCall()
    {
        TestUser user = await fixture.NewUserAsync();
        await using IBrowserContext context = await fixture.NewContextAsync();
        IPage page = await context.NewPageAsync();
        var calls = new ConcurrentQueue<IRequest>();
        page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(fixture.Issuer.ToString(), StringComparison.Ordinal) && request.Method != "OPTIONS")
            {
                calls.Enqueue(request);
            }
        };

        await page.GotoAsync(fixture.Spa.BrowserAddress.ToString());
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "DPoP sign-in at Tessera" }).ClickAsync();
        await ProviderPages.SignInAndConsentAsync(page, fixture.Spa.BrowserAddress.ToString(), user);
        await ExpectStatusAsync(page, "signed in");
        await Assertions.Expect(page.Locator("#username")).ToHaveTextAsync(user.Username);

        // Bound to the library's key, which script cannot export; computed here from the public half (RFC 7638).
        Assert.Equal("dpop", (await page.Locator("#token-type").TextContentAsync())?.ToLowerInvariant());
        Assert.Equal("false", await page.Locator("#dpop-extractable").TextContentAsync());
        JsonNode publicJwk = JsonNode.Parse((await page.Locator("#dpop-public-jwk").TextContentAsync())!)!;
        string canonical = $"{{\"crv\":\"{(string?)publicJwk["crv"]}\",\"kty\":\"EC\",\"x\":\"{(string?)publicJwk["x"]}\",\"y\":\"{(string?)publicJwk["y"]}\"}}";
        string thumbprint = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(thumbprint, await page.Locator("#cnf-jkt").TextContentAsync());
        await Assertions.Expect(page.Locator("#as-bearer")).ToHaveTextAsync("401");

        ILocator addButtons = page.Locator("#products button");
        await addButtons.Nth(0).ClickAsync();
        await Assertions.Expect(page.Locator("#cart-count")).ToHaveTextAsync("1");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Place order" }).ClickAsync();
        await Assertions.Expect(page.Locator("#order-id")).Not.ToBeEmptyAsync();
        await ExpectStatusAsync(page, "signed in");

        // The token request, userinfo and every shop call carried a proof; the API calls as Authorization: DPoP.
        IRequest token = calls.Single(r => r.Url.EndsWith("/oauth2/token", StringComparison.Ordinal));
        Assert.True((await token.AllHeadersAsync()).ContainsKey("dpop"), "The token request carried no DPoP proof.");
        IRequest[] api = [.. calls.Where(r => r.Url.Contains("/shop/cart", StringComparison.Ordinal) || r.Url.Contains("/shop/orders", StringComparison.Ordinal) || r.Url.Contains("/userinfo", StringComparison.Ordinal))];
        Assert.True(api.Length >= 4, $"{api.Length} API calls");
        foreach (IRequest call in api)
        {
            Dictionary<string, string> headers = await call.AllHeadersAsync();
            if (headers["authorization"].StartsWith("Bearer ", StringComparison.Ordinal))
            {
                continue; // the app's own try as Bearer (#as-bearer), refused above
            }

            Assert.StartsWith("DPoP ", headers["authorization"], StringComparison.Ordinal);
            Assert.True(headers.ContainsKey("dpop"), $"{call.Method} {call.Url} carried no proof");
            Assert.False(headers.ContainsKey("cookie"), $"{call.Url} carried cookies");
        }
    }

    private static async Task ExpectStatusAsync(IPage page, string status)
    {
        try
        {
            await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(status);
        }
        catch (PlaywrightException)
        {
            string error = await page.Locator("#error").TextContentAsync() ?? "";
            throw new Xunit.Sdk.XunitException($"The app's status is not '{status}': {await page.Locator("#status").TextContentAsync()} {error}");
        }
    }
}
