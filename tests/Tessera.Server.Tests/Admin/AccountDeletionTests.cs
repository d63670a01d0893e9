using System.Net;
using System.Text.Json;
using Tessera.Audit;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Admin;

/// <summary><c>DELETE /auth/me</c>: users delete their own account by re-entering the password.</summary>
public sealed class AccountDeletionTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    private static HttpRequestMessage Deletion(string? password, string site = "same-origin")
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, "/auth/me") { Content = System.Net.Http.Json.JsonContent.Create(new { password }) };
        request.Headers.Add("Sec-Fetch-Site", site);
        if (site != "same-origin")
        {
            request.Headers.Add("Origin", "https://evil.example");
        }

        return request;
    }

    [Fact]
    public async Task AUserDeletesTheirAccountWithTheirPassword()
    {
        HttpClient browser = _server.CreateBrowser();
        string alice = await browser.RegisterIdAsync("alice");
        string session = (await browser.SignInAsync("alice")).GetProperty("session").GetProperty("id").GetString()!;
        HttpClient app = _server.CreateBareClient();
        JsonElement pair = await app.SignInForTokensAsync("alice");

        HttpResponseMessage deleted = await browser.SendAsync(Deletion(Http.Password));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        // The cookie is cleared as at sign-out, and every other session of the account ended.
        Assert.Contains("expires=Thu, 01 Jan 1970", deleted.SetCookie()!, StringComparison.OrdinalIgnoreCase);
        await (await app.GetWithBearerAsync("/auth/me", pair.Access())).AssertBearerRefusedAsync("session_revoked");
        await (await app.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).AssertProblemAsync(HttpStatusCode.Unauthorized, TesseraErrorCodes.InvalidCredentials);
        AuditEvent audited = Assert.Single(await _server.AuditAsync(AuditEventTypes.AccountDeleted));
        Assert.Equal((alice, alice, session), (audited.ActorId, audited.UserId, audited.SessionId));
        Assert.NotEqual(alice, await app.RegisterIdAsync("alice"));
    }

    [Fact]
    public async Task AWrongPasswordAnswers401AndKeepsTheAccount()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");

        await (await browser.SendAsync(Deletion("wrong horse battery"))).AssertProblemAsync(HttpStatusCode.Unauthorized, TesseraErrorCodes.InvalidCredentials);

        await (await browser.GetAsync("/auth/me")).AssertOkJsonAsync();
        Assert.Empty(await _server.AuditAsync(AuditEventTypes.AccountDeleted));
    }

    [Fact]
    public async Task WrongPasswordsHereCountTowardsTheSignInLockout()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Lockout:MaxFailedAttempts"] = "3", ["Tessera:Lockout:RevealLockout"] = "true" });
        HttpClient browser = server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        for (int i = 0; i < 3; i++)
        {
            await (await browser.SendAsync(Deletion($"guess {i}"))).AssertProblemAsync(HttpStatusCode.Unauthorized, TesseraErrorCodes.InvalidCredentials);
        }

        await (await browser.SendAsync(Deletion(Http.Password))).AssertProblemAsync(HttpStatusCode.Locked, TesseraErrorCodes.AccountLocked);
        await (await browser.GetAsync("/auth/me")).AssertOkJsonAsync();
    }

    [Fact]
    public async Task AMissingPasswordAnswers400()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");

        JsonElement problem = await (await browser.SendAsync(Deletion(null))).AssertProblemAsync(HttpStatusCode.BadRequest, TesseraErrorCodes.ValidationFailed);

        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task ACrossSiteDeletionIsRefused()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");

        await (await browser.SendAsync(Deletion(Http.Password, "cross-site"))).AssertProblemAsync(HttpStatusCode.Forbidden, TesseraErrorCodes.CsrfRejected);

        await (await browser.GetAsync("/auth/me")).AssertOkJsonAsync();
    }

    [Fact]
    public async Task AnUnsignedDeletionAnswers401()
    {
        await (await _server.CreateBareClient().SendAsync(Deletion(Http.Password))).AssertProblemAsync(HttpStatusCode.Unauthorized, TesseraErrorCodes.Unauthenticated);
    }
}
