using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Tests.Tokens;
using Tessera.Users;

namespace Tessera.Server.Tests.Admin;

/// <summary>
/// What outlives a disable must not act for the account: an authorization code issued just before
/// it, and a session created by a sign-in that raced with it (disabling ends the sessions it finds;
/// one created a moment later is simulated here by disabling in the store without ending sessions).
/// </summary>
public sealed class DisableRaceTests : IDisposable
{
    private readonly TestServerFactory _server = new(OAuthClientSignIn.Settings());

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ACodeIssuedBeforeTheDisableIsNotRedeemed()
    {
        AdminCaller admin = await _server.AdminAsync();
        string alice = await _server.CreateBareClient().RegisterIdAsync("alice");
        HttpClient browser = _server.CreateBrowser();
        HttpResponseMessage signedIn = await OAuthClientSignIn.SignInOnThePageAsync(browser, "alice");
        string code = QueryHelpers.ParseQuery(new Uri(signedIn.Headers.Location!.OriginalString).Query)["code"].ToString();

        await admin.PostAsync($"/admin/users/{alice}/disable").OkAsync();
        HttpResponseMessage redeemed = await browser.PostAsync("/oauth2/token", OAuthClientSignIn.CodeRedemption(code));

        Assert.Equal(HttpStatusCode.BadRequest, redeemed.StatusCode);
        Assert.Contains("\"invalid_grant\"", await redeemed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASessionThatOutlivedTheDisableNeitherRefreshesNorAdministers()
    {
        HttpClient client = _server.CreateBareClient();
        string id = await client.RegisterIdAsync("boss");
        await _server.GrantAdminAsync(id);
        System.Text.Json.JsonElement tokens = await client.SignInForTokensAsync("boss");
        await (await client.GetWithBearerAsync("/admin/users", tokens.Access())).AssertOkJsonAsync();

        var directory = (IUserDirectory)_server.Services.GetRequiredService<IUserStore>();
        Assert.True(await directory.SetDisabledAsync(id, _server.Time.GetUtcNow(), CancellationToken.None));

        await (await client.GetWithBearerAsync("/admin/users", tokens.Access())).AssertProblemAsync(HttpStatusCode.Forbidden, TesseraErrorCodes.AccountDisabled);
        HttpResponseMessage refreshed = await client.RefreshAsync(tokens.Refresh());
        Assert.Equal(HttpStatusCode.Unauthorized, refreshed.StatusCode);
    }
}
