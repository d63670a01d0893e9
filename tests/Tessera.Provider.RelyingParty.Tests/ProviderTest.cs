using Xunit.Abstractions;

namespace Tessera.Provider.RelyingParty.Tests;

/// <summary>
/// Base of the browser tests: after each test, what the relying parties and the API logged and
/// what the server printed while it ran go to the test's output (shown when it fails).
/// </summary>
public abstract class ProviderTest : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly int _shopLogStart;
    private readonly int _wikiLogStart;
    private readonly int _apiLogStart;
    private readonly int _serverOutputStart;

    protected ProviderTest(ProviderFixture fixture, ITestOutputHelper output)
    {
        Fixture = fixture;
        _output = output;
        _shopLogStart = fixture.Shop.App.Log.Text.Length;
        _wikiLogStart = fixture.Wiki.App.Log.Text.Length;
        _apiLogStart = fixture.Api.Log.Text.Length;
        _serverOutputStart = fixture.ServerOutput.Length;
    }

    protected ProviderFixture Fixture { get; }

    public void Dispose()
    {
        _output.WriteLine($"--- shop log\n{Fixture.Shop.App.Log.Text[_shopLogStart..]}");
        _output.WriteLine($"--- wiki log\n{Fixture.Wiki.App.Log.Text[_wikiLogStart..]}");
        _output.WriteLine($"--- API log\n{Fixture.Api.Log.Text[_apiLogStart..]}");
        string server = Fixture.ServerOutput;
        _output.WriteLine($"--- Tessera output\n{server[Math.Min(_serverOutputStart, server.Length)..]}");
        GC.SuppressFinalize(this);
    }
}
