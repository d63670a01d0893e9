using System.Diagnostics;
using System.Text.Json;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class SpanTests : IDisposable
{
    private readonly TelemetryCapture _telemetry = new();
    private readonly TestServerFactory _server = new();

    public void Dispose()
    {
        _server.Dispose();
        _telemetry.Dispose();
    }

    [Fact]
    public async Task TokenIssueAndStoreCallSpansAreChildrenOfTheRequestSpan()
    {
        HttpClient client = _server.CreateBareClient();
        await client.RegisterAsync("alice");

        await client.SignInForTokensAsync("alice");

        IReadOnlyList<Activity> spans = _telemetry.Spans;
        Activity request = Assert.Single(spans, s => s.Source.Name == "Microsoft.AspNetCore" && s.GetTagItem("url.path") as string == "/auth/token");
        Activity issue = Assert.Single(spans, s => s.OperationName == "tessera.token.issue");
        Assert.Equal(request.TraceId, issue.TraceId);
        Assert.Equal(request.SpanId, issue.ParentSpanId);
        Assert.Equal("password", issue.GetTagItem("tessera.grant"));

        // The session is created inside the issue: its store span is the issue's child.
        Activity create = Assert.Single(spans, s => s.OperationName == "SqlSessionStore.Create" && s.ParentSpanId == issue.SpanId);
        Assert.Equal(ActivityKind.Client, create.Kind);
        Assert.Equal("sqlite", create.GetTagItem("db.system.name"));
        Assert.Equal("SqlSessionStore.Create", create.GetTagItem("db.operation.name"));

        // The password check's user lookup belongs to the same request.
        Activity lookup = Assert.Single(spans, s => s.OperationName == "SqlUserStore.FindByNormalizedUsername" && s.TraceId == request.TraceId);
        Assert.Equal(ActivityStatusCode.Unset, lookup.Status);
    }

    [Fact]
    public async Task ARefusedRefreshEndsItsSpanWithTheErrorCode()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement first = await client.RegisterAndSignInForTokensAsync("alice");
        await (await client.RefreshAsync(first.Refresh())).AssertOkJsonAsync();
        _server.Time.Advance(TimeSpan.FromMinutes(2));

        await client.RefreshAsync(first.Refresh());

        Activity refused = Assert.Single(_telemetry.Spans, s => s.OperationName == "tessera.token.refresh" && s.Status == ActivityStatusCode.Error);
        Assert.Equal("refresh_token_reused", refused.GetTagItem("tessera.outcome"));
        Assert.Equal("refresh_token_reused", refused.StatusDescription);
    }
}
