using System.Text.Json.Nodes;
using System.Web;
using Microsoft.Playwright;

namespace Tessera.Provider.Interop.Tests;

/// <summary>
/// Authorization code + PKCE with openid-client as the relying party, for a confidential client
/// (client_secret_basic) and a public one (none). The browser step is a person on Tessera's pages
/// in Chromium; everything else (state, iss, PKCE, ID token validation, every back-channel call)
/// is the library's own code against the discovered metadata.
/// </summary>
[Collection(InteropCollection.Name)]
public sealed class AuthorizationCodeTests(InteropFixture fixture)
{
    private const string Scope = $"openid profile offline_access {InteropFixture.ApiScope}";

    private Uri ShopCart => new(fixture.Issuer, "/shop/cart");

    [Fact]
    public async Task ConfidentialClientSignsInRefreshesAndRevokesItsRefreshToken()
    {
        NodeRelyingParty rp = fixture.RelyingParty(fixture.Confidential);
        SignedIn signedIn = await SignInAsync(rp);
        JsonObject tokens = signedIn.Tokens;

        AssertIdToken(signedIn, fixture.Confidential);
        string accessToken = (string)tokens["access_token"]!;
        string refreshToken = (string)tokens["refresh_token"]!;
        Assert.Equal("bearer", ((string?)tokens["token_type"])?.ToLowerInvariant());

        // OIDC Core §5.3: the library checks the subject matches the ID token's.
        JsonObject userInfo = (await rp.UserInfoAsync(accessToken, signedIn.User.Id)).Result();
        Assert.Equal(signedIn.User.Username, (string?)userInfo["preferred_username"]);

        // RFC 7662: the resource-facing view of the access token.
        JsonObject introspected = (await rp.IntrospectAsync(accessToken)).Result();
        Assert.True((bool?)introspected["active"]);
        Assert.Equal(fixture.Confidential.ClientId, (string?)introspected["client_id"]);
        Assert.Equal(signedIn.User.Id, (string?)introspected["sub"]);
        Assert.Contains(InteropFixture.ApiScope, ((string?)introspected["scope"] ?? "").Split(' '));

        // The API accepts the token as the library sends it.
        Assert.Equal(200, (int)(await rp.ResourceAsync(accessToken, ShopCart)).Result()["status"]!);

        // Refresh: a new pair (the refresh token rotates), then a narrower scope (RFC 6749 §6).
        JsonObject refreshed = (await rp.RefreshAsync(refreshToken)).Result();
        string rotated = (string)refreshed["refresh_token"]!;
        Assert.NotEqual(refreshToken, rotated);
        Assert.NotEqual(accessToken, (string?)refreshed["access_token"]);
        JsonObject narrowed = (await rp.RefreshAsync(rotated, $"openid {InteropFixture.ApiScope}")).Result();
        Assert.Equal(["openid", InteropFixture.ApiScope], ((string)narrowed["scope"]!).Split(' ').Order());
        string latestRefresh = (string)narrowed["refresh_token"]!;
        string latestAccess = (string)narrowed["access_token"]!;
        Assert.True((bool?)(await rp.IntrospectAsync(latestRefresh, "refresh_token")).Result()["active"]);

        // RFC 7009: revoke the refresh token; it refreshes nothing afterwards, and (it is the session's
        // secret) the session's access tokens die with it.
        (await rp.RevokeAsync(latestRefresh, "refresh_token")).Result();
        JsonObject refused = (await rp.RefreshAsync(latestRefresh)).Error();
        Assert.Equal("invalid_grant", (string?)refused["error"]);
        Assert.False((bool?)(await rp.IntrospectAsync(latestRefresh, "refresh_token")).Result()["active"]);
        Assert.False((bool?)(await rp.IntrospectAsync(latestAccess)).Result()["active"]);
        Assert.Equal(401, (int)(await rp.ResourceAsync(latestAccess, ShopCart)).Result()["status"]!);
    }

    [Fact]
    public async Task PublicClientSignsInRefreshesAndRevokesItsAccessToken()
    {
        NodeRelyingParty rp = fixture.RelyingParty(fixture.Public);
        NodeRelyingParty resourceServer = fixture.RelyingParty(fixture.Service);
        SignedIn signedIn = await SignInAsync(rp);
        AssertIdToken(signedIn, fixture.Public);

        JsonObject userInfo = (await rp.UserInfoAsync((string)signedIn.Tokens["access_token"]!, signedIn.User.Id)).Result();
        Assert.Equal(signedIn.User.Id, (string?)userInfo["sub"]);

        // A public client refreshes with no secret (its refresh token is bound to it, RFC 9700 §4.14.2).
        JsonObject refreshed = (await rp.RefreshAsync((string)signedIn.Tokens["refresh_token"]!)).Result();
        string accessToken = (string)refreshed["access_token"]!;
        Assert.True((bool?)(await resourceServer.IntrospectAsync(accessToken)).Result()["active"]);
        Assert.Equal(200, (int)(await rp.ResourceAsync(accessToken, ShopCart)).Result()["status"]!);

        // RFC 7009 for the access token: introspection says inactive, the API refuses it (RFC 6750 §3.1).
        (await rp.RevokeAsync(accessToken, "access_token")).Result();
        Assert.False((bool?)(await resourceServer.IntrospectAsync(accessToken)).Result()["active"]);
        JsonObject refusedByApi = (await rp.ResourceAsync(accessToken, ShopCart)).Result();
        Assert.Equal(401, (int)refusedByApi["status"]!);
        Assert.Equal("bearer", (string?)refusedByApi["challenges"]?[0]?["scheme"]);
        Assert.Equal("invalid_token", (string?)refusedByApi["challenges"]?[0]?["parameters"]?["error"]);
        // Revoking the access token ended its session: the refresh token is gone too.
        Assert.Equal("invalid_grant", (string?)(await rp.RefreshAsync((string)refreshed["refresh_token"]!)).Error()["error"]);
    }

    [Fact]
    public async Task ARedeemedCodeRedeemedAgainIsRefusedAndRevokesWhatTheFirstRedemptionIssued()
    {
        NodeRelyingParty rp = fixture.RelyingParty(fixture.Confidential);
        SignedIn signedIn = await SignInAsync(rp);

        // The same callback a second time (an attacker who saw the code): RFC 6749 §4.1.2, §10.5.
        JsonObject replay = (await rp.CallbackAsync(signedIn.Request, signedIn.Callback)).Error();

        Assert.Equal("invalid_grant", (string?)replay["error"]);
        Assert.False((bool?)(await rp.IntrospectAsync((string)signedIn.Tokens["access_token"]!)).Result()["active"]);
        Assert.Equal("invalid_grant", (string?)(await rp.RefreshAsync((string)signedIn.Tokens["refresh_token"]!)).Error()["error"]);
    }

    [Fact]
    public async Task TheAuthorizationResponseCarriesTheIssuer()
    {
        SignedIn signedIn = await SignInAsync(fixture.RelyingParty(fixture.Public));

        // RFC 9207 §2: iss beside code and state (the library checked it against the metadata too).
        var query = HttpUtility.ParseQueryString(signedIn.Callback.Query);
        Assert.Equal(fixture.Issuer.ToString().TrimEnd('/'), query["iss"]);
        Assert.Equal(signedIn.Request.State, query["state"]);
        Assert.False(string.IsNullOrEmpty(query["code"]));
    }

    private void AssertIdToken(SignedIn signedIn, InteropClient client)
    {
        // openid-client validated signature, iss, aud, exp, iat and nonce; these are the claims a
        // relying party goes on to use.
        JsonObject claims = signedIn.Tokens["idTokenClaims"]!.AsObject();
        Assert.Equal(signedIn.User.Id, (string?)claims["sub"]);
        Assert.Equal(fixture.Issuer.ToString().TrimEnd('/'), (string?)claims["iss"]);
        Assert.Equal(signedIn.Request.Nonce, (string?)claims["nonce"]);
        Assert.Equal(client.ClientId, claims["aud"] is JsonArray audiences ? (string?)audiences.Single() : (string?)claims["aud"]);
        Assert.Equal(signedIn.User.Username, (string?)claims["preferred_username"]);
        Assert.NotNull(claims["auth_time"]);
        Assert.False(string.IsNullOrEmpty((string?)claims["sid"]));
        Assert.False(string.IsNullOrEmpty((string?)claims["at_hash"]));
    }

    private async Task<SignedIn> SignInAsync(NodeRelyingParty rp)
    {
        TestUser user = await fixture.NewUserAsync();
        AuthorizationRequest request = await rp.AuthorizationUrlAsync(Scope);
        await using IBrowserContext context = await fixture.NewContextAsync();
        IPage page = await context.NewPageAsync();
        Uri callback = await ProviderPages.AuthorizeAsync(page, request.Url, rp.Client.RedirectUri!, user);
        JsonObject tokens = (await rp.CallbackAsync(request, callback)).Result();
        return new SignedIn(user, request, callback, tokens);
    }

    private sealed record SignedIn(TestUser User, AuthorizationRequest Request, Uri Callback, JsonObject Tokens);
}
