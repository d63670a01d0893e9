using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Dpop.Issue;

/// <summary>
/// What the refresh of a DPoP-bound session logs when it is refused: a refusal for the key binding
/// (RFC 9449 §5: another key, or no proof) as that (event 9603); a replayed request (its proof's
/// <c>jti</c> already used, RFC 9449 §11.1) as a refused proof only (9601); a reused refresh token
/// (RFC 9700 §4.14.2) as reuse only. An operator reading "binding refused" for a replay looks for the wrong attack.
/// </summary>
public sealed class BoundRefreshLogTests : IDisposable
{
    private const string BindingRefused = "Refresh of a DPoP-bound token refused";
    private const string ProofRefused = "DPoP proof refused at";
    private const string Reuse = "Refresh token reuse (";

    private readonly LogCapture _log = new();
    private readonly TestServerFactory _server;

    public BoundRefreshLogTests() =>
        _server = new TestServerFactory(services: services => services.AddLogging(logging => logging.AddProvider(_log).AddFilter<LogCapture>(null, LogLevel.Trace)));

    public void Dispose() => _server.Dispose();

    private int Count(string text) => _log.Entries.Count(e => e.Contains(text, StringComparison.Ordinal));

    private async Task<(HttpClient Http, DpopClient Dpop, JsonElement Pair)> SignedInBoundAsync()
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        var dpop = new DpopClient(_server);
        JsonElement pair = await (await dpop.SignInAsync(http, "alice")).AssertOkJsonAsync();
        return (http, dpop, pair);
    }

    [Fact]
    public async Task ARefreshWithAnotherKeyIsLoggedAsABindingRefusal()
    {
        (HttpClient http, _, JsonElement pair) = await SignedInBoundAsync();

        await (await new DpopClient(_server).RefreshAsync(http, pair.Refresh())).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_dpop_proof");

        Assert.Equal(1, Count(BindingRefused));
        Assert.Equal(0, Count(Reuse));
    }

    [Fact]
    public async Task AReplayedRefreshRequestIsLoggedAsARefusedProofNotAsABindingRefusal()
    {
        (HttpClient http, DpopClient dpop, JsonElement pair) = await SignedInBoundAsync();
        string proof = dpop.Proof("POST", "/auth/token/refresh");
        await (await dpop.PostAsync(http, "/auth/token/refresh", JsonContent.Create(new { refresh_token = pair.Refresh() }), proof)).AssertOkJsonAsync();

        // The very same request again: its token retired by the first, its proof's jti spent.
        HttpResponseMessage replayed = await dpop.PostAsync(http, "/auth/token/refresh", JsonContent.Create(new { refresh_token = pair.Refresh() }), proof);

        await replayed.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_dpop_proof");
        Assert.Equal(1, Count(ProofRefused));
        Assert.Equal(0, Count(BindingRefused));
    }

    [Fact]
    public async Task AReplayedOAuthRefreshRequestIsLoggedAsARefusedProofNotAsABindingRefusal()
    {
        (HttpClient http, DpopClient dpop, JsonElement pair) = await SignedInBoundAsync();
        KeyValuePair<string, string>[] form = [new("grant_type", "refresh_token"), new("refresh_token", pair.Refresh())];
        string proof = dpop.Proof("POST", "/oauth2/token");
        await (await dpop.PostAsync(http, "/oauth2/token", new FormUrlEncodedContent(form), proof)).AssertOkJsonAsync();

        HttpResponseMessage replayed = await dpop.PostAsync(http, "/oauth2/token", new FormUrlEncodedContent(form), proof);

        await replayed.AssertOAuthErrorAsync("invalid_dpop_proof");
        Assert.Equal(1, Count(ProofRefused));
        Assert.Equal(0, Count(BindingRefused));
    }

    [Fact]
    public async Task AReusedBoundRefreshTokenIsLoggedAsReuseOnly()
    {
        (HttpClient http, DpopClient dpop, JsonElement first) = await SignedInBoundAsync();
        JsonElement second = await (await dpop.RefreshAsync(http, first.Refresh())).AssertOkJsonAsync();
        await (await dpop.RefreshAsync(http, second.Refresh())).AssertOkJsonAsync();

        // Two generations old, from a thief's key: reuse, whatever the proof.
        await (await new DpopClient(_server).RefreshAsync(http, first.Refresh())).AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");

        Assert.Equal(1, Count(Reuse));
        Assert.Equal(0, Count(BindingRefused));
    }
}
