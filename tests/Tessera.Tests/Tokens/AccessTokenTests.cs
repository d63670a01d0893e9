using System.Text.Json;
using Tessera.Jose;
using Tessera.Jose.Jwt;
using Tessera.Keys;
using Tessera.Sessions;
using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

public class AccessTokenTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task AccessTokenIsAnAtJwtThatNamesTheUserTheSessionAndTheClient()
    {
        using var tokens = new TokenHarness(tokenOptions: new TesseraTokenOptions { Audience = "api", ClientId = "app", Scope = "read write" });
        IssuedTokens pair = await tokens.SignInAsync();
        KeyRingSnapshot keys = await tokens.Keys.GetAsync(None);

        Assert.True(JwtDecoder.TryDecodeUnverified(pair.AccessToken, out UnverifiedJwt? jwt, out _));
        Assert.Equal("at+jwt", jwt!.Header.GetProperty("typ").GetString());
        Assert.Equal("ES256", jwt.Header.GetProperty("alg").GetString());
        Assert.Equal(keys.SigningKey.KeyId, jwt.Header.GetProperty("kid").GetString());
        JsonElement claims = jwt.Payload;
        Assert.Equal(TokenHarness.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal("user-1", claims.GetProperty("sub").GetString());
        Assert.Equal("api", claims.GetProperty("aud").GetString());
        Assert.Equal(pair.Session.Handle, claims.GetProperty("sid").GetString());
        Assert.Equal("app", claims.GetProperty("client_id").GetString());
        Assert.Equal("read write", claims.GetProperty("scope").GetString());
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("jti").GetString()));
        Assert.Equal(tokens.Time.GetUtcNow().ToUnixTimeSeconds(), claims.GetProperty("iat").GetInt64());
        Assert.Equal(15 * 60, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.Equal(TimeSpan.FromMinutes(15), pair.ExpiresIn);
    }

    [Fact]
    public async Task TokenSessionLivesByTheRefreshLifetimes()
    {
        using var tokens = new TokenHarness(tokenOptions: new TesseraTokenOptions { RefreshIdleLifetime = TimeSpan.FromDays(3), RefreshAbsoluteLifetime = TimeSpan.FromDays(9) });
        DateTimeOffset now = tokens.Time.GetUtcNow();

        IssuedTokens pair = await tokens.SignInAsync();

        SessionRecord stored = await tokens.StoredAsync(pair.Session.Handle);
        Assert.Equal(SessionKinds.Token, stored.Kind);
        Assert.Equal(now + TimeSpan.FromDays(3), stored.IdleExpiresAt);
        Assert.Equal(now + TimeSpan.FromDays(9), stored.AbsoluteExpiresAt);
    }

    [Fact]
    public async Task ValidAccessTokenGivesItsSessionAndItsOwnScope()
    {
        using var tokens = new TokenHarness(tokenOptions: new TesseraTokenOptions { Scope = "orders:read" });
        IssuedTokens pair = await tokens.SignInAsync();

        Outcome<ValidatedAccessToken> validated = await tokens.ValidateAsync(pair.AccessToken);

        Assert.True(validated.Succeeded);
        Assert.Equal(pair.Session.Handle, validated.Value.Session.Handle);
        Assert.Equal("orders:read", validated.Value.Scope);
        Assert.Equal("user-1", validated.Value.Claims.Subject);
    }

    [Fact]
    public async Task ExpiredAccessTokenIsAnInvalidTokenWhoseReasonIsExpired()
    {
        using var tokens = new TokenHarness();
        IssuedTokens pair = await tokens.SignInAsync();
        tokens.Time.Advance(TimeSpan.FromMinutes(15));

        TesseraError? error = (await tokens.ValidateAsync(pair.AccessToken)).Error;

        Assert.Equal(TesseraErrorCodes.InvalidToken, error?.Code);
        Assert.Equal(JoseErrorCodes.Expired, error?.Reason);
    }

    [Fact]
    public async Task TamperedAccessTokenIsAnInvalidTokenWhoseReasonIsTheBadSignature()
    {
        using var tokens = new TokenHarness();
        IssuedTokens pair = await tokens.SignInAsync();
        int signature = pair.AccessToken.LastIndexOf('.') + 1;
        char flipped = pair.AccessToken[signature] == 'A' ? 'B' : 'A';
        string tampered = pair.AccessToken[..signature] + flipped + pair.AccessToken[(signature + 1)..];

        TesseraError? error = (await tokens.ValidateAsync(tampered)).Error;

        Assert.Equal(TesseraErrorCodes.InvalidToken, error?.Code);
        Assert.Equal(JoseErrorCodes.SignatureInvalid, error?.Reason);
    }

    [Fact]
    public async Task AccessTokenOfAnotherKeyRingIsAnInvalidTokenWhoseReasonIsTheUnknownKey()
    {
        using var tokens = new TokenHarness();
        using var stranger = new TokenHarness(time: tokens.Time);
        IssuedTokens foreign = await stranger.SignInAsync();

        TesseraError? error = (await tokens.ValidateAsync(foreign.AccessToken)).Error;

        Assert.Equal(TesseraErrorCodes.InvalidToken, error?.Code);
        Assert.Equal(JoseErrorCodes.KeyNotFound, error?.Reason);
    }

    [Fact]
    public async Task AccessTokenIssuedForAnotherIssuerIsRefused()
    {
        using var tokens = new TokenHarness();
        IssuedTokens pair = await tokens.SignInAsync();

        TesseraError? error = (await tokens.Tokens.ValidateAccessTokenAsync(pair.AccessToken, TokenHarness.Home, "https://other.example.test", None)).Error;

        Assert.Equal(TesseraErrorCodes.InvalidToken, error?.Code);
        Assert.Equal(JoseErrorCodes.IssuerInvalid, error?.Reason);
    }

    [Fact]
    public async Task AccessTokenStopsWhenItsSessionIsRevoked()
    {
        using var tokens = new TokenHarness();
        IssuedTokens pair = await tokens.SignInAsync();

        await tokens.Sessions.RevokeAsync(pair.Session.Handle, RevocationReasons.SignedOut, None);

        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await tokens.ValidateAsync(pair.AccessToken)).Error?.Code);
    }

    [Fact]
    public async Task AccessTokenStopsWhenItsSessionIsIdleForTooLong()
    {
        using var tokens = new TokenHarness(tokenOptions: new TesseraTokenOptions { AccessTokenLifetime = TimeSpan.FromMinutes(30), RefreshIdleLifetime = TimeSpan.FromMinutes(10) });
        IssuedTokens pair = await tokens.SignInAsync();
        tokens.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(TesseraErrorCodes.SessionExpired, (await tokens.ValidateAsync(pair.AccessToken)).Error?.Code);
    }

    [Fact]
    public async Task AccessTokenUseTouchesItsSessionAtMostOncePerTouchIntervalAndSlidesByTheRefreshIdleLifetime()
    {
        var store = new ObservedSessionStore();
        using var tokens = new TokenHarness(new TesseraSessionOptions { TouchInterval = TimeSpan.FromMinutes(1) }, store: store);
        IssuedTokens pair = await tokens.SignInAsync();

        for (int i = 0; i < 5; i++)
        {
            Assert.True((await tokens.ValidateAsync(pair.AccessToken)).Succeeded);
            tokens.Time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(0, store.Touches);
        tokens.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.True((await tokens.ValidateAsync(pair.AccessToken)).Succeeded);
        Assert.True((await tokens.ValidateAsync(pair.AccessToken)).Succeeded);

        Assert.Equal(1, store.Touches);
        SessionRecord stored = await tokens.StoredAsync(pair.Session.Handle);
        Assert.Equal(tokens.Time.GetUtcNow(), stored.LastSeenAt);
        Assert.Equal(tokens.Time.GetUtcNow() + tokens.TokenOptions.RefreshIdleLifetime, stored.IdleExpiresAt);
    }

    [Fact]
    public async Task IntrospectionOfAnAccessTokenNeitherChecksTheBindingNorTouches()
    {
        var store = new ObservedSessionStore();
        using var tokens = new TokenHarness(new TesseraSessionOptions { BindTo = SessionBinding.Both }, store: store);
        IssuedTokens pair = await tokens.SignInAsync();
        tokens.Time.Advance(TimeSpan.FromMinutes(5));

        Outcome<ValidatedAccessToken> inspected = await tokens.Tokens.InspectAccessTokenAsync(pair.AccessToken, TokenHarness.Issuer, None);

        Assert.True(inspected.Succeeded);
        Assert.Equal(0, store.Touches);
        Assert.False((await tokens.StoredAsync(pair.Session.Handle)).IsRevoked);
    }

    [Fact]
    public async Task MissingAccessTokenIsAnInvalidToken()
    {
        using var tokens = new TokenHarness();

        Assert.Equal(TesseraErrorCodes.InvalidToken, (await tokens.ValidateAsync("")).Error?.Code);
    }

    [Fact]
    public async Task IssuedTokensNeverPrintTheirTokens()
    {
        using var tokens = new TokenHarness();
        IssuedTokens pair = await tokens.SignInAsync();

        string printed = pair.ToString() + Outcome.Success(pair);

        Assert.DoesNotContain(pair.AccessToken, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(pair.RefreshToken, printed, StringComparison.Ordinal);
        Assert.Contains(pair.Session.Handle, printed, StringComparison.Ordinal);
    }
}
