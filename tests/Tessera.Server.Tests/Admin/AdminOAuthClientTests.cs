using System.Net;
using System.Text.Json;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Admin;

/// <summary>
/// Tokens an OAuth client holds for an admin do not open the admin API, nor delete the account; and
/// the provider's sign-in page refuses disabled and locked accounts like <c>/auth/session</c> does.
/// </summary>
public sealed class AdminOAuthClientTests : IDisposable
{
    private readonly TestServerFactory _server = new(OAuthClientSignIn.Settings());

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AnAdminsTokenIssuedToAnOAuthClientIsRefusedAndAudited()
    {
        AdminCaller admin = await _server.AdminAsync("root");
        string token = (await OAuthClientSignIn.TokensAsync(_server.CreateBrowser(), "root")).Access();

        await (await admin.Client.GetWithBearerAsync("/admin/users", token)).AssertProblemAsync(HttpStatusCode.Forbidden, TesseraErrorCodes.AdminRequired);
        await (await admin.Client.SendWithBearerAsync(HttpMethod.Delete, "/auth/me", token, new { password = Http.Password })).AssertProblemAsync(HttpStatusCode.Forbidden, TesseraErrorCodes.FirstPartySessionRequired);

        Tessera.Audit.AuditEvent refused = Assert.Single(await _server.AdminActionsAsync());
        Assert.Equal((admin.Id, "403", OAuthClientSignIn.ClientId), (refused.ActorId, refused.Outcome, refused.ClientId));
        // The account is still there, and the admin's first-party token still works.
        await (await admin.GetAsync($"/admin/users/{admin.Id}")).AssertOkJsonAsync();
    }

    [Fact]
    public async Task TheProvidersSignInPageRefusesADisabledAccountOnlyWithTheRightPassword()
    {
        AdminCaller admin = await _server.AdminAsync();
        string alice = await _server.CreateBareClient().RegisterIdAsync("alice");
        await admin.PostAsync($"/admin/users/{alice}/disable").OkAsync();

        HttpResponseMessage wrong = await OAuthClientSignIn.SignInOnThePageAsync(_server.CreateBrowser(), "alice", "wrong horse battery");
        HttpResponseMessage right = await OAuthClientSignIn.SignInOnThePageAsync(_server.CreateBrowser(), "alice");

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("The username or password is wrong.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, right.StatusCode);
        Assert.Contains("This account is disabled.", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(right.Headers.Location);
    }

    [Fact]
    public async Task TheProvidersSignInPageRefusesALockedAccountWithRetryAfter()
    {
        AdminCaller admin = await _server.AdminAsync();
        string alice = await _server.CreateBareClient().RegisterIdAsync("alice");
        await admin.PostAsync($"/admin/users/{alice}/lock", new { until = _server.Time.GetUtcNow().AddHours(1).ToString("O") }).OkAsync();

        HttpResponseMessage right = await OAuthClientSignIn.SignInOnThePageAsync(_server.CreateBrowser(), "alice");

        Assert.Equal(HttpStatusCode.Locked, right.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), right.Headers.RetryAfter?.Delta);
        Assert.Null(right.Headers.Location);
    }
}
