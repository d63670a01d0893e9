using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.Server.Tests.Dpop.Issue;

/// <summary>
/// An authorization code bound by <c>dpop_jkt</c> (RFC 9449 §10) redeemed with another key, or
/// without a proof, may be a stolen code: the refusal is logged as a warning (event 9605) naming the
/// client, besides the Information line every refused grant gets; the right key's redemption logs none.
/// </summary>
public sealed class BoundCodeLogTests : IDisposable
{
    private const string BindingRefused = "Authorization code bound to a DPoP key (dpop_jkt) refused for client " + OAuthClients.Public;

    private readonly LogCapture _log = new();
    private readonly TestServerFactory _server;

    public BoundCodeLogTests() =>
        _server = new TestServerFactory(OAuthClients.Settings(), services: services => services.AddLogging(logging => logging.AddProvider(_log).AddFilter<LogCapture>(null, LogLevel.Trace)));

    public void Dispose() => _server.Dispose();

    private int Count(string text) => _log.Entries.Count(e => e.Contains(text, StringComparison.Ordinal));

    private async Task<(HttpClient Browser, string Code)> BoundCodeAsync(DpopClient owner)
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");
        HttpResponseMessage redirect = await DpopAnswers.AuthorizeAsync(browser, OAuthClients.Public, "alice", new() { ["dpop_jkt"] = owner.Thumbprint });
        return (browser, DpopAnswers.Code(redirect));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RedeemingWithAnotherKeyOrNoProofIsAWarning(bool withProof)
    {
        (HttpClient browser, string code) = await BoundCodeAsync(new DpopClient(_server));

        await (await new DpopClient(_server).OAuthTokenAsync(browser, OAuthClients.PublicRedemption(code), withProof)).AssertOAuthErrorAsync("invalid_dpop_proof");

        Assert.Equal(1, Count(BindingRefused));
        Assert.Contains(_log.Entries, e => e.Contains(BindingRefused, StringComparison.Ordinal) && e.StartsWith("Warning", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedeemingWithTheBoundKeyLogsNoWarning()
    {
        var owner = new DpopClient(_server);
        (HttpClient browser, string code) = await BoundCodeAsync(owner);

        JsonElement tokens = await (await owner.OAuthTokenAsync(browser, OAuthClients.PublicRedemption(code))).AssertOkJsonAsync();

        Assert.Equal(owner.Thumbprint, DpopAnswers.Jkt(tokens.GetProperty("access_token").GetString()!));
        Assert.Equal(0, Count(BindingRefused));
    }
}
