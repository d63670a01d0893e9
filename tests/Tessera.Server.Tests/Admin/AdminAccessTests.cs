using System.Net;
using System.Net.Http.Json;
using Tessera.Audit;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Admin;

/// <summary>Who may call the admin API (a first-party sign-in of an admin), CSRF, caching, and that refusals are audited.</summary>
public sealed class AdminAccessTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    public static TheoryData<string, string> Endpoints() => new()
    {
        { "GET", "/admin/users" },
        { "GET", "/admin/users/someone" },
        { "GET", "/admin/users/someone/sessions" },
        { "DELETE", "/admin/users/someone/sessions" },
        { "DELETE", "/admin/users/someone/sessions/s1" },
        { "POST", "/admin/users/someone/lock" },
        { "POST", "/admin/users/someone/unlock" },
        { "POST", "/admin/users/someone/disable" },
        { "POST", "/admin/users/someone/enable" },
        { "DELETE", "/admin/users/someone" },
        { "GET", "/admin/keys" },
        { "POST", "/admin/keys/rotate" },
        { "GET", "/admin/audit" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AnUnsignedCallAnswers401(string method, string path)
    {
        HttpResponseMessage response = await _server.CreateBareClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, TesseraErrorCodes.Unauthenticated);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ANonAdminIsRefusedAndTheRefusalIsAudited(string method, string path)
    {
        HttpClient client = _server.CreateBareClient();
        string id = await client.RegisterIdAsync("mallory");
        string token = (await client.SignInForTokensAsync("mallory")).Access();

        HttpResponseMessage response = await client.SendWithBearerAsync(new HttpMethod(method), path, token);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, TesseraErrorCodes.AdminRequired);
        AuditEvent refused = Assert.Single(await _server.AdminActionsAsync());
        Assert.Equal(id, refused.ActorId);
        Assert.Equal("403", refused.Outcome);
        Assert.Equal(TestServerFactory.DefaultClientIp, refused.Address);
        Assert.StartsWith(path.Contains("/users", StringComparison.Ordinal) ? "user." : path.Contains("/keys", StringComparison.Ordinal) ? "key." : "audit.", refused.Detail, StringComparison.Ordinal);
    }

    // A route value cut to the field's length must not split a surrogate pair (an emoji across the
    // 256th character), nor may a lone surrogate make the event invalid: either once left it unaudited.
    // (A NUL cannot get this far: ASP.NET Core refuses a path with %00.)
    [Theory]
    [InlineData("%F0%9F%98%80")]
    [InlineData("%ED%A0%80")]
    public async Task ARefusalIsAuditedWhateverTheRouteValueHolds(string id)
    {
        HttpClient client = _server.CreateBareClient();
        string mallory = await client.RegisterIdAsync("mallory");
        string token = (await client.SignInForTokensAsync("mallory")).Access();
        string overlong = new('x', Audit.AuditEventLimits.MaxFieldLength - 1);

        HttpResponseMessage response = await client.GetWithBearerAsync($"/admin/users/{overlong}{id}/sessions", token);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, TesseraErrorCodes.AdminRequired);
        AuditEvent refused = Assert.Single(await _server.AdminActionsAsync());
        Assert.Equal(mallory, refused.ActorId);
        Assert.True(refused.UserId!.Length <= Audit.AuditEventLimits.MaxFieldLength);
        Assert.StartsWith(overlong, refused.UserId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACrossSiteCookieRequestIsRefusedByTheCsrfCheck()
    {
        HttpClient browser = _server.CreateBrowser();
        string adminId = await browser.RegisterIdAsync("root");
        await _server.GrantAdminAsync(adminId);
        await browser.SignInAsync("root");
        string bob = await _server.CreateBareClient().RegisterIdAsync("bob");

        var forged = new HttpRequestMessage(HttpMethod.Post, $"/admin/users/{bob}/disable");
        forged.Headers.Add("Sec-Fetch-Site", "cross-site");
        forged.Headers.Add("Origin", "https://evil.example");
        await (await browser.SendAsync(forged)).AssertProblemAsync(HttpStatusCode.Forbidden, TesseraErrorCodes.CsrfRejected);
        Assert.Equal(JsonValueKindNull, (await browser.GetAsync($"/admin/users/{bob}").OkAsync()).GetProperty("disabledAt").ValueKind);

        // The console's own page (same-origin) may.
        var own = new HttpRequestMessage(HttpMethod.Post, $"/admin/users/{bob}/disable");
        own.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.NotEqual(JsonValueKindNull, (await (await browser.SendAsync(own)).AssertOkJsonAsync()).GetProperty("disabledAt").ValueKind);
    }

    [Fact]
    public async Task AdminAnswersAreNotCached()
    {
        AdminCaller admin = await _server.AdminAsync();

        HttpResponseMessage response = await admin.GetAsync("/admin/users");

        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
