using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Tessera.Audit;
using Tessera.InMemory;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Admin;

/// <summary>Every admin call lands in the audit log as <c>admin.action</c>, readable through <c>GET /admin/audit</c> page by page.</summary>
public sealed class AdminAuditApiTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task EachAdminCallIsAuditedWithActorTargetActionStatusAndAddress()
    {
        AdminCaller admin = await _server.AdminAsync(ip: "198.51.100.4");
        string alice = await _server.CreateBareClient().RegisterIdAsync("alice");

        await admin.PostAsync($"/admin/users/{alice}/disable").OkAsync();
        await admin.GetAsync("/admin/users/nobody");

        JsonElement[] events = Events(await admin.GetAsync($"/admin/audit?type=admin.action").OkAsync());
        Assert.Equal(["user.read", "user.disable"], events.Select(e => e.GetProperty("detail").GetString()!).ToArray());
        JsonElement disable = events[1];
        Assert.Equal(admin.Id, disable.GetProperty("actorId").GetString());
        Assert.Equal(alice, disable.GetProperty("userId").GetString());
        Assert.Equal("200", disable.GetProperty("outcome").GetString());
        Assert.Equal("198.51.100.4", disable.GetProperty("address").GetString());
        Assert.Equal(_server.Time.GetUtcNow(), disable.GetProperty("at").GetDateTimeOffset());
        Assert.Equal("404", events[0].GetProperty("outcome").GetString());
        Assert.True(events[0].GetProperty("sequence").GetInt64() > disable.GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task TheLogIsReadPageByPageNewestFirstAndFiltered()
    {
        AdminCaller admin = await _server.AdminAsync();
        string alice = await _server.CreateBareClient().RegisterIdAsync("alice");
        string bob = await _server.CreateBareClient().RegisterIdAsync("bob");
        foreach (string path in new[] { $"/admin/users/{alice}", $"/admin/users/{bob}", $"/admin/users/{alice}/sessions", $"/admin/users/{bob}/sessions", $"/admin/users/{alice}" })
        {
            await admin.GetAsync(path).OkAsync();
        }

        var seen = new List<string>();
        string query = $"/admin/audit?type=admin.action&userId={alice}&actorId={admin.Id}&limit=2";
        JsonElement page = await admin.GetAsync(query).OkAsync();
        seen.AddRange(Events(page).Select(e => e.GetProperty("detail").GetString()!));
        while (page.GetProperty("next").ValueKind == JsonValueKind.Number)
        {
            page = await admin.GetAsync($"{query}&before={page.GetProperty("next").GetInt64()}").OkAsync();
            seen.AddRange(Events(page).Select(e => e.GetProperty("detail").GetString()!));
        }

        Assert.Equal(["user.read", "user.sessions.list", "user.read"], seen);
        // Alice did nothing but register (audited with her as the actor).
        Assert.Equal(["account.created"], Events(await admin.GetAsync($"/admin/audit?actorId={alice}").OkAsync()).Select(e => e.GetProperty("type").GetString()!));
    }

    [Theory]
    [InlineData("before=0", "before")]
    [InlineData("before=-5", "before")]
    [InlineData("before=abc", "before")]
    [InlineData("before=99999999999999999999", "before")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    public async Task ABadCursorOrLimitAnswers400NamingIt(string query, string field)
    {
        AdminCaller admin = await _server.AdminAsync();

        JsonElement problem = await (await admin.GetAsync($"/admin/audit?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest, TesseraErrorCodes.ValidationFailed);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task AnAuditLogThatFailsDoesNotUndoOrHideTheAction()
    {
        var capture = new LogCapture();
        var audit = new FailingAuditLog();
        using var server = new TestServerFactory(services: services =>
        {
            services.RemoveAll<IAuditLog>();
            services.AddSingleton<IAuditLog>(audit);
            services.AddLogging(logging => logging.AddProvider(capture).AddFilter<LogCapture>(null, LogLevel.Trace));
        });
        AdminCaller admin = await server.AdminAsync();
        HttpClient app = server.CreateBareClient();
        string alice = await app.RegisterIdAsync("alice");
        audit.Failing = true;

        JsonElement disabled = await admin.PostAsync($"/admin/users/{alice}/disable").OkAsync();

        Assert.NotEqual(JsonValueKind.Null, disabled.GetProperty("disabledAt").ValueKind);
        await (await app.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).AssertProblemAsync(HttpStatusCode.Forbidden, TesseraErrorCodes.AccountDisabled);
        // The lost record is in the server's log instead, as a warning naming what was done.
        string warning = Assert.Single(capture.Entries, e => e.Contains("Audit log append failed", StringComparison.Ordinal) && e.Contains("user.disable", StringComparison.Ordinal));
        Assert.StartsWith("Warning", warning, StringComparison.Ordinal);
        Assert.Contains(alice, warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOverlongIdInTheUrlIsAuditedCutToWhatTheLogHolds()
    {
        AdminCaller admin = await _server.AdminAsync();
        string id = new('x', 300);

        await (await admin.GetAsync($"/admin/users/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, TesseraErrorCodes.UserNotFound);

        AuditEvent read = Assert.Single(await _server.AdminActionsAsync());
        Assert.Equal(id[..AuditEventLimits.MaxFieldLength], read.UserId);
    }

    private static JsonElement[] Events(JsonElement page) => [.. page.GetProperty("events").EnumerateArray()];

    /// <summary>An audit log whose store is down when asked to be.</summary>
    private sealed class FailingAuditLog : IAuditLog
    {
        private readonly InMemoryAuditLog _inner = new();

        public bool Failing { get; set; }

        public ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
            Failing ? throw new Tessera.Stores.StoreUnavailableException("audit store down") : _inner.AppendAsync(auditEvent, cancellationToken);

        public ValueTask<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken) => _inner.QueryAsync(query, cancellationToken);

        public ValueTask<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) => _inner.PurgeAsync(before, cancellationToken);
    }
}
