using Tessera.Sessions;
using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

/// <summary>
/// A token session is bound exactly as a cookie session is (<see cref="TesseraSessionOptions.BindTo"/>):
/// its refresh token and its access tokens used from another client end it, or flag it.
/// </summary>
public class TokenSessionBindingTests
{
    public static TheoryData<SessionBinding, string, string> BrokenBindings => new()
    {
        { SessionBinding.Ip, "203.0.113.9", "Browser/1" },
        { SessionBinding.UserAgent, "198.51.100.1", "Other/2" },
        { SessionBinding.Both, "203.0.113.9", "Browser/1" },
        { SessionBinding.Both, "198.51.100.1", "Other/2" },
    };

    public static TheoryData<SessionBinding, string, string> KeptBindings => new()
    {
        { SessionBinding.None, "203.0.113.9", "Other/2" },
        { SessionBinding.Ip, "198.51.100.1", "Other/2" },
        { SessionBinding.UserAgent, "203.0.113.9", "Browser/1" },
    };

    [Theory]
    [MemberData(nameof(BrokenBindings))]
    public async Task RefreshFromAnotherClientEndsABoundTokenSession(SessionBinding binding, string ip, string agent)
    {
        using var tokens = new TokenHarness(new TesseraSessionOptions { BindTo = binding });
        IssuedTokens pair = await tokens.SignInAsync();

        Outcome<IssuedTokens> refreshed = await tokens.RefreshAsync(pair.RefreshToken, new SessionClient(ip, agent));

        Assert.Equal(TesseraErrorCodes.SessionRevoked, refreshed.Error?.Code);
        Assert.Equal(RevocationReasons.BindingMismatch, (await tokens.StoredAsync(pair.Session.Handle)).RevocationReason);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await tokens.RefreshAsync(pair.RefreshToken)).Error?.Code);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await tokens.ValidateAsync(pair.AccessToken)).Error?.Code);
    }

    [Theory]
    [MemberData(nameof(BrokenBindings))]
    public async Task AccessTokenFromAnotherClientEndsABoundTokenSession(SessionBinding binding, string ip, string agent)
    {
        using var tokens = new TokenHarness(new TesseraSessionOptions { BindTo = binding });
        IssuedTokens pair = await tokens.SignInAsync();

        Outcome<ValidatedAccessToken> validated = await tokens.ValidateAsync(pair.AccessToken, new SessionClient(ip, agent));

        Assert.Equal(TesseraErrorCodes.SessionRevoked, validated.Error?.Code);
        Assert.Equal(RevocationReasons.BindingMismatch, (await tokens.StoredAsync(pair.Session.Handle)).RevocationReason);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await tokens.ValidateAsync(pair.AccessToken)).Error?.Code);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await tokens.RefreshAsync(pair.RefreshToken)).Error?.Code);
    }

    [Theory]
    [MemberData(nameof(BrokenBindings))]
    public async Task FlaggingPolicyLetsTokensThroughAndMarksTheTokenSession(SessionBinding binding, string ip, string agent)
    {
        using var tokens = new TokenHarness(new TesseraSessionOptions { BindTo = binding, OnBindingMismatch = SessionBindingAction.Flag });
        IssuedTokens pair = await tokens.SignInAsync();
        var elsewhere = new SessionClient(ip, agent);

        Outcome<ValidatedAccessToken> validated = await tokens.ValidateAsync(pair.AccessToken, elsewhere);
        DateTimeOffset flaggedAt = tokens.Time.GetUtcNow();
        tokens.Time.Advance(TimeSpan.FromMinutes(1));
        Outcome<IssuedTokens> refreshed = await tokens.RefreshAsync(pair.RefreshToken, elsewhere);

        Assert.True(validated.Succeeded);
        Assert.True(refreshed.Succeeded);
        SessionRecord stored = await tokens.StoredAsync(pair.Session.Handle);
        Assert.False(stored.IsRevoked);
        Assert.Equal(flaggedAt, stored.FlaggedAt);
        Assert.Equal(RevocationReasons.BindingMismatch, stored.FlagReason);
    }

    [Theory]
    [MemberData(nameof(KeptBindings))]
    public async Task ChangesOutsideTheBindingKeepTheTokenSession(SessionBinding binding, string ip, string agent)
    {
        using var tokens = new TokenHarness(new TesseraSessionOptions { BindTo = binding });
        IssuedTokens pair = await tokens.SignInAsync();
        var elsewhere = new SessionClient(ip, agent);

        Assert.True((await tokens.ValidateAsync(pair.AccessToken, elsewhere)).Succeeded);
        Assert.True((await tokens.RefreshAsync(pair.RefreshToken, elsewhere)).Succeeded);
        SessionRecord stored = await tokens.StoredAsync(pair.Session.Handle);
        Assert.Null(stored.RevokedAt);
        Assert.Null(stored.FlaggedAt);
    }

    [Fact]
    public async Task GraceAnswerFromAnotherClientEndsABoundTokenSession()
    {
        // The grace answer goes only to the client that won the rotation (issue #14 finding 4):
        // another client replaying the previous token is reuse, bound session or not.
        using var tokens = new TokenHarness(new TesseraSessionOptions { BindTo = SessionBinding.Ip });
        IssuedTokens pair = await tokens.SignInAsync();
        Assert.True((await tokens.RefreshAsync(pair.RefreshToken)).Succeeded);

        Outcome<IssuedTokens> replayed = await tokens.RefreshAsync(pair.RefreshToken, new SessionClient("203.0.113.9", "Browser/1"));

        Assert.Equal(TesseraErrorCodes.RefreshTokenReused, replayed.Error?.Code);
        Assert.Equal(RevocationReasons.RefreshTokenReused, (await tokens.StoredAsync(pair.Session.Handle)).RevocationReason);
    }

    [Fact]
    public async Task StolenRefreshTokenReplayedFromAnotherClientIsReportedAsReuse()
    {
        using var tokens = new TokenHarness(new TesseraSessionOptions { BindTo = SessionBinding.Both });
        IssuedTokens pair = await tokens.SignInAsync();
        Assert.True((await tokens.RefreshAsync(pair.RefreshToken)).Succeeded);
        tokens.Time.Advance(tokens.TokenOptions.ReuseGraceWindow + TimeSpan.FromSeconds(1));

        // The thief replays the rotated-away token from its own machine: that is reuse (RFC 9700
        // §4.14.2), whatever else is wrong with the request, and the owner must be told so.
        Outcome<IssuedTokens> replayed = await tokens.RefreshAsync(pair.RefreshToken, new SessionClient("203.0.113.9", "Thief/1"));

        Assert.Equal(TesseraErrorCodes.RefreshTokenReused, replayed.Error?.Code);
        Assert.Equal(RevocationReasons.RefreshTokenReused, (await tokens.StoredAsync(pair.Session.Handle)).RevocationReason);
    }
}
