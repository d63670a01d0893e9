using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Dpop;
using Tessera.Server.Tests.Dpop.Issue;
using Tessera.Server.Tests.Dpop.Resource;

namespace Tessera.Server.Tests.Passkeys;

/// <summary>
/// A passkey token sign-in binds its tokens to a DPoP key exactly as the password one does
/// (RFC 9449 §5): a proof makes the session and the access token bound (<c>cnf.jkt</c>,
/// <c>token_type</c> DPoP). The proof is checked before the assertion, so a refused proof does not
/// spend the single-use passkey state, and the client can retry with a good one.
/// </summary>
public sealed class PasskeyDpopSignInTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task APasskeySignInWithAProofGetsTokensBoundToItsKey()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        using var authenticator = new SoftwareAuthenticator();
        await browser.RegisterPasskeyAsync(authenticator);

        HttpClient client = _server.CreateBareClient();
        (JsonElement options, string state) = await client.AssertionOptionsAsync();
        JsonObject credential = authenticator.Get(options);
        var dpop = new DpopClient(_server);

        // A proof for another URI is refused first, and the passkey state survives it.
        HttpResponseMessage wrongProof = await dpop.PostAsync(client, "/auth/token/passkey", JsonContent.Create(new { state, credential }), dpop.Proof("POST", "/auth/token"));
        await wrongProof.AssertProblemAsync(HttpStatusCode.BadRequest, DpopErrorCodes.InvalidProof);

        JsonElement tokens = await (await dpop.PostAsync(client, "/auth/token/passkey", JsonContent.Create(new { state, credential }), dpop.Proof("POST", "/auth/token/passkey"))).AssertOkJsonAsync();
        Assert.Equal(DpopTokenTypes.Dpop, tokens.GetProperty("token_type").GetString());
        string access = tokens.GetProperty("access_token").GetString()!;
        Assert.Equal(dpop.Thumbprint, DpopAnswers.Jkt(access));

        JsonElement me = await (await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "DPoP", access, dpop.Proof("GET", "/auth/me", access)))).AssertOkJsonAsync();
        Assert.Equal("passkey", me.GetProperty("session").GetProperty("method").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(ServerDpop.Request(HttpMethod.Get, "/auth/me", "Bearer", access))).StatusCode);
    }
}
