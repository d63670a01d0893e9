using System.Net;
using System.Text.Json;
using Tessera.OAuth;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>The authorization code grant at /oauth2/token (RFC 6749 §4.1.3, RFC 7636 §4.6) and its RFC 9700 §4 negative cases.</summary>
public sealed class TokenCodeGrantTests : IAsyncLifetime
{
    private ProviderTokenHost _host = null!;
    private string _userId = null!;
    private (string Id, string Secret) _web;

    public async Task InitializeAsync()
    {
        _host = await ProviderTokenHost.StartAsync(ProviderTokenHost.WithIntrospectionClient);
        _userId = await _host.CreateUserAsync("alice", "admin");
        (_, string secret) = await _host.AddConfidentialClientAsync("web");
        _web = ("web", secret);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CodeBecomesATokenSessionOfTheClientWithScopeAndRoles()
    {
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("web", _userId, "openid orders:read offline_access", challenge);

        JsonElement tokens = await ProviderTokenHost.AssertTokensAsync(await _host.RedeemAsync(code, verifier, _web));

        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString());
        Assert.Equal("openid orders:read offline_access", tokens.GetProperty("scope").GetString());
        Assert.Equal(900, tokens.GetProperty("expires_in").GetInt64());
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refresh_token").GetString()));
        JsonElement claims = ProviderTokenHost.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(_userId, claims.GetProperty("sub").GetString());
        Assert.Equal("web", claims.GetProperty("client_id").GetString());
        Assert.Equal("openid orders:read offline_access", claims.GetProperty("scope").GetString());
        Assert.Equal(["admin"], claims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!));

        SessionRecord session = (await _host.SessionAsync(claims.GetProperty("sid").GetString()!))!;
        Assert.Equal(SessionKinds.Token, session.Kind);
        Assert.Equal("web", session.ClientId);
        Assert.Equal("openid orders:read offline_access", session.Scope);
        Assert.Equal(HttpStatusCode.OK, (await _host.GetMeAsync(tokens.GetProperty("access_token").GetString()!)).StatusCode);
    }

    [Fact]
    public async Task OpenIdScopeBringsAnIdTokenForTheClientAndTheNewSession()
    {
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("web", _userId, "openid profile", challenge, nonce: "n-0S6_WzA2Mj");

        JsonElement tokens = await ProviderTokenHost.AssertTokensAsync(await _host.RedeemAsync(code, verifier, _web));

        string idToken = tokens.GetProperty("id_token").GetString()!;
        string jwks = await (await _host.Client.GetAsync("/.well-known/jwks.json")).Content.ReadAsStringAsync();
        var validator = new Tessera.Jose.Jwt.JwtValidator(new Tessera.Jose.Jwt.JwtValidationPolicy
        {
            AllowedAlgorithms = ["RS256"],
            ValidIssuers = [ProviderTokenHost.Issuer],
            ValidAudiences = ["web"],
            TimeProvider = _host.Time,
        });
        Tessera.Jose.Jwt.JwtValidation validation = validator.Validate(idToken, Tessera.Jose.Keys.JwkSet.Parse(jwks));
        Assert.True(validation.IsValid, validation.Error?.Code);
        JsonElement claims = ProviderTokenHost.Payload(idToken);
        Assert.Equal(_userId, claims.GetProperty("sub").GetString());
        Assert.Equal("n-0S6_WzA2Mj", claims.GetProperty("nonce").GetString());
        Assert.Equal(tokens.GetProperty("session_id").GetString(), claims.GetProperty("sid").GetString());
        Assert.Equal("alice", claims.GetProperty("preferred_username").GetString());
        Assert.True(claims.TryGetProperty("at_hash", out _));
        Assert.False(tokens.TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task WithoutOpenIdNoIdToken()
    {
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("web", _userId, "orders:read", challenge);

        JsonElement tokens = await ProviderTokenHost.AssertTokensAsync(await _host.RedeemAsync(code, verifier, _web));

        Assert.False(tokens.TryGetProperty("id_token", out _));
    }

    [Fact]
    public async Task AClientWhoseIdTokenAlgorithmIsNotConfiguredGetsNothing()
    {
        (string secret, byte[] hash) = ClientSecrets.Generate();
        await _host.AddClientAsync(_host.NewClient("ps", ClientTypes.Confidential, ClientAuthMethods.ClientSecretBasic) with { SecretHashes = [hash], IdTokenSignedResponseAlg = "PS512" });
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("ps", _userId, "openid", challenge);

        await ProviderTokenHost.AssertOAuthErrorAsync(await _host.RedeemAsync(code, verifier, ("ps", secret)), "invalid_client", 401);
    }

    [Fact]
    public async Task WithoutOfflineAccessNoRefreshTokenAndTheSessionLivesAsLongAsTheAccessToken()
    {
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("web", _userId, "orders:read", challenge);

        JsonElement tokens = await ProviderTokenHost.AssertTokensAsync(await _host.RedeemAsync(code, verifier, _web));

        Assert.False(tokens.TryGetProperty("refresh_token", out _));
        Assert.Equal("orders:read", tokens.GetProperty("scope").GetString());
        SessionRecord session = (await _host.SessionAsync(tokens.GetProperty("session_id").GetString()!))!;
        Assert.Equal(session.CreatedAt + TimeSpan.FromMinutes(15), session.AbsoluteExpiresAt);
    }

    [Fact]
    public async Task OfflineAccessWithoutTheRefreshGrantRegisteredGivesNoRefreshToken()
    {
        (_, string secret) = await _host.AddConfidentialClientAsync("no-refresh", grants: [GrantTypes.AuthorizationCode]);
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("no-refresh", _userId, "orders:read offline_access", challenge);

        JsonElement tokens = await ProviderTokenHost.AssertTokensAsync(await _host.RedeemAsync(code, verifier, ("no-refresh", secret)));

        Assert.False(tokens.TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task CodeUsedTwiceIsRefusedAndRevokesTheSessionTheFirstUseCreated()
    {
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("web", _userId, "orders:read offline_access", challenge);
        JsonElement first = await ProviderTokenHost.AssertTokensAsync(await _host.RedeemAsync(code, verifier, _web));
        string access = first.GetProperty("access_token").GetString()!;

        await ProviderTokenHost.AssertOAuthErrorAsync(await _host.RedeemAsync(code, verifier, _web), "invalid_grant");

        SessionRecord session = (await _host.SessionAsync(first.GetProperty("session_id").GetString()!))!;
        Assert.True(session.IsRevoked);
        Assert.Equal(Tessera.OAuth.Grants.AuthorizationCodeGrant.CodeReplayedReason, session.RevocationReason);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.GetMeAsync(access)).StatusCode);
        Assert.False((await _host.IntrospectAsync(access)).GetProperty("active").GetBoolean());
        HttpResponseMessage refresh = await _host.TokenAsync(_web, ("grant_type", "refresh_token"), ("refresh_token", first.GetProperty("refresh_token").GetString()!));
        await ProviderTokenHost.AssertOAuthErrorAsync(refresh, "invalid_grant");
    }

    [Fact]
    public async Task CodeOfAnotherClientIsInvalidGrant()
    {
        (_, string otherSecret) = await _host.AddConfidentialClientAsync("other");
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("web", _userId, "orders:read", challenge);

        await ProviderTokenHost.AssertOAuthErrorAsync(await _host.RedeemAsync(code, verifier, ("other", otherSecret)), "invalid_grant");
    }

    [Fact]
    public async Task WrongVerifierIsInvalidGrant()
    {
        (_, string challenge) = ProviderTokenHost.NewPkce();
        (string otherVerifier, _) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("web", _userId, "orders:read", challenge);

        await ProviderTokenHost.AssertOAuthErrorAsync(await _host.RedeemAsync(code, otherVerifier, _web), "invalid_grant");
    }

    [Fact]
    public async Task MissingVerifierIsInvalidGrant()
    {
        (_, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("web", _userId, "orders:read", challenge);

        HttpResponseMessage response = await _host.TokenAsync(_web, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", ProviderTokenHost.RedirectUri));

        await ProviderTokenHost.AssertOAuthErrorAsync(response, "invalid_grant");
    }

    [Fact]
    public async Task PlainVerifierEqualToTheChallengeIsInvalidGrant()
    {
        // RFC 9700 §2.1.1: plain is refused; sending the challenge itself as the verifier must not pass.
        (_, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("web", _userId, "orders:read", challenge);

        await ProviderTokenHost.AssertOAuthErrorAsync(await _host.RedeemAsync(code, challenge, _web), "invalid_grant");
    }

    [Theory]
    [InlineData("https://app.example/callback/")]
    [InlineData("https://APP.example/callback")]
    [InlineData("https://app.example/callback#x")]
    [InlineData("https://app.example/callback?x=1")]
    [InlineData("https://app.example/call")]
    public async Task RedirectUriNotExactlyTheAuthorizationRequestsIsInvalidGrant(string redirectUri)
    {
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("web", _userId, "orders:read", challenge);

        await ProviderTokenHost.AssertOAuthErrorAsync(await _host.RedeemAsync(code, verifier, _web, redirectUri), "invalid_grant");
    }

    [Fact]
    public async Task ExpiredCodeIsInvalidGrant()
    {
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("web", _userId, "orders:read", challenge);
        _host.Time.Advance(TimeSpan.FromSeconds(61));

        await ProviderTokenHost.AssertOAuthErrorAsync(await _host.RedeemAsync(code, verifier, _web), "invalid_grant");
    }

    [Fact]
    public async Task UnknownCodeIsInvalidGrant()
    {
        (string verifier, _) = ProviderTokenHost.NewPkce();

        await ProviderTokenHost.AssertOAuthErrorAsync(await _host.RedeemAsync(Tessera.Sessions.SessionSecret.Generate().Secret, verifier, _web), "invalid_grant");
    }

    [Fact]
    public async Task PublicClientRedeemsWithItsClientIdAlone()
    {
        await _host.AddPublicClientAsync("spa");
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("spa", _userId, "orders:read offline_access", challenge);

        JsonElement tokens = await ProviderTokenHost.AssertTokensAsync(await _host.RedeemAsync(code, verifier, basic: null, clientId: "spa"));

        Assert.Equal("spa", ProviderTokenHost.Payload(tokens.GetProperty("access_token").GetString()!).GetProperty("client_id").GetString());
    }

    [Fact]
    public async Task CodeGrantWithoutAnyClientIsInvalidClient()
    {
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("web", _userId, "orders:read", challenge);

        await ProviderTokenHost.AssertOAuthErrorAsync(await _host.RedeemAsync(code, verifier, basic: null), "invalid_client");
    }

    [Fact]
    public async Task ClientNotRegisteredForTheCodeGrantIsUnauthorizedClient()
    {
        (_, string secret) = await _host.AddConfidentialClientAsync("service", grants: [GrantTypes.ClientCredentials]);
        (string verifier, string challenge) = ProviderTokenHost.NewPkce();
        string code = await _host.SeedCodeAsync("service", _userId, "orders:read", challenge);

        await ProviderTokenHost.AssertOAuthErrorAsync(await _host.RedeemAsync(code, verifier, ("service", secret)), "unauthorized_client");
    }

    [Fact]
    public async Task UnknownGrantTypeIsUnsupportedGrantType()
    {
        await ProviderTokenHost.AssertOAuthErrorAsync(await _host.TokenAsync(_web, ("grant_type", "password"), ("username", "alice"), ("password", ProviderTokenHost.Password)), "unsupported_grant_type");
    }
}
