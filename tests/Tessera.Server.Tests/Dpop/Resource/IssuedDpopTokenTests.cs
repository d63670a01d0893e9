using System.Net;
using System.Text.Json;
using Tessera.Dpop;
using Tessera.Server.Tests.Dpop.Issue;

namespace Tessera.Server.Tests.Dpop.Resource;

/// <summary>
/// End to end on the server: a token the token endpoint itself bound to the client's key
/// (<c>/auth/token</c> with a proof, <c>token_type: DPoP</c>, RFC 9449 §5, §6.1) is accepted by the
/// server's own APIs with a proof by that key, refused as a bearer token, and so is its refreshed successor.
/// </summary>
public sealed class IssuedDpopTokenTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ATokenBoundAtSignInWorksWithItsKeyAndNotAsABearerTokenNorWithAnotherKey()
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        var dpop = new DpopClient(_server);
        JsonElement pair = await (await dpop.SignInAsync(http, "alice")).AssertOkJsonAsync();
        string token = pair.GetProperty("access_token").GetString()!;
        Assert.Equal(DpopTokenTypes.Dpop, pair.GetProperty("token_type").GetString());

        await (await http.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, dpop.Proof("GET", "/auth/me", token)))).AssertOkJsonAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "Bearer", token))).StatusCode);
        var thief = new DpopClient(_server);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, thief.Proof("GET", "/auth/me", token)))).StatusCode);

        JsonElement refreshed = await (await dpop.RefreshAsync(http, pair.GetProperty("refresh_token").GetString()!)).AssertOkJsonAsync();
        string next = refreshed.GetProperty("access_token").GetString()!;
        await (await http.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", next, dpop.Proof("GET", "/auth/me", next)))).AssertOkJsonAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "Bearer", next))).StatusCode);
    }
}
