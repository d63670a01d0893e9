using System.Net;
using System.Text.Json;
using Tessera.Server.Tests.Dpop.Issue;

namespace Tessera.Server.Tests.Dpop.Resource;

/// <summary>
/// The server's own APIs check a bound token's proof before they read its session (RFC 9449 §7.1):
/// a thief holding only the access token, without the key, must not reach the session at all, so
/// neither its touch nor its binding policy (<c>Tessera:Sessions:BindTo</c>, revoke on mismatch) can be
/// set off from the thief's address to end the owner's session.
/// </summary>
public sealed class ProofBeforeSessionTests : IDisposable
{
    private const string OwnerAddress = "198.51.100.7";
    private const string ThiefAddress = "203.0.113.66";

    private readonly TestServerFactory _server = new(new Dictionary<string, string?> { ["Tessera:Sessions:BindTo"] = "ip", ["Tessera:Sessions:OnBindingMismatch"] = "revoke" });

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData("Bearer", "/auth/me")]
    [InlineData("DPoP without a proof", "/auth/me")]
    [InlineData("DPoP with the thief's own key", "/auth/me")]
    [InlineData("Bearer", "/oauth2/userinfo")]
    [InlineData("DPoP without a proof", "/oauth2/userinfo")]
    [InlineData("DPoP with the thief's own key", "/oauth2/userinfo")]
    public async Task AStolenBoundTokenFromAnotherAddressLeavesTheOwnersSessionAlone(string how, string path)
    {
        HttpClient owner = _server.CreateBareClient(OwnerAddress);
        await owner.RegisterAsync("alice");
        var dpop = new DpopClient(_server);
        JsonElement pair = await (await dpop.SignInAsync(owner, "alice")).AssertOkJsonAsync();
        string token = pair.GetProperty("access_token").GetString()!;

        HttpClient thief = _server.CreateBareClient(ThiefAddress);
        HttpRequestMessage stolen = how switch
        {
            "Bearer" => ServerDpop.Request(HttpMethod.Get, path, "Bearer", token),
            "DPoP without a proof" => ServerDpop.Request(HttpMethod.Get, path, "DPoP", token),
            _ => ServerDpop.Request(HttpMethod.Get, path, "DPoP", token, new DpopClient(_server).Proof("GET", path, token)),
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.SendAsync(stolen)).StatusCode);

        // The owner, from the session's own address and with the key, goes on.
        await (await owner.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", token, dpop.Proof("GET", "/auth/me", token)))).AssertOkJsonAsync();
    }
}
