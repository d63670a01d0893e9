using Tessera.Sessions;
using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

/// <summary>
/// Issue #14 finding 4: the grace answer (the previous refresh token within
/// <see cref="TesseraTokenOptions.ReuseGraceWindow"/>) goes only to the client whose refresh won the
/// rotation (same address and user agent), and only within the window counted from that rotation.
/// A replay from anyone else is reuse (RFC 9700 §4.14.2): the session ends.
/// </summary>
public class GraceWindowClientTests
{
    private static readonly SessionClient Office = new("192.0.2.20", "Browser/1");

    public static TheoryData<string, string> Thieves => new()
    {
        { "203.0.113.9", "Browser/1" }, // another address, the victim's agent copied
        { "198.51.100.1", "Curl/8" },   // the victim's address (same NAT), another agent
        { "203.0.113.9", "Curl/8" },
    };

    [Theory]
    [MemberData(nameof(Thieves))]
    public async Task AThiefReplayingThePreviousTokenInsideTheWindowIsReuseAndEndsTheSession(string ip, string agent)
    {
        using var tokens = new TokenHarness(tokenOptions: new TesseraTokenOptions { ReuseGraceWindow = TimeSpan.FromSeconds(5) });
        IssuedTokens stolen = await tokens.SignInAsync();
        Outcome<IssuedTokens> victim = await tokens.RefreshAsync(stolen.RefreshToken);
        tokens.Time.Advance(TimeSpan.FromSeconds(1));

        Outcome<IssuedTokens> thief = await tokens.RefreshAsync(stolen.RefreshToken, new SessionClient(ip, agent));

        Assert.Equal(TesseraErrorCodes.RefreshTokenReused, thief.Error?.Code);
        Assert.Null(thief.Value);
        Assert.Equal(RevocationReasons.RefreshTokenReused, (await tokens.StoredAsync(stolen.Session.Handle)).RevocationReason);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await tokens.RefreshAsync(victim.Value!.RefreshToken)).Error?.Code);
    }

    [Fact]
    public async Task TheGraceAnswerFollowsTheWinningRequestNotTheSignIn()
    {
        // Signed in at home, refreshed at the office (no binding: a laptop moves). The retry of the
        // office refresh gets the same successor; the same token from home is someone else.
        using var tokens = new TokenHarness();
        IssuedTokens first = await tokens.SignInAsync();
        Outcome<IssuedTokens> atOffice = await tokens.RefreshAsync(first.RefreshToken, Office);

        Outcome<IssuedTokens> retry = await tokens.RefreshAsync(first.RefreshToken, Office);
        Assert.Equal(atOffice.Value!.RefreshToken, retry.Value?.RefreshToken);

        Outcome<IssuedTokens> fromHome = await tokens.RefreshAsync(first.RefreshToken, TokenHarness.Home);
        Assert.Equal(TesseraErrorCodes.RefreshTokenReused, fromHome.Error?.Code);
        Assert.True((await tokens.StoredAsync(first.Session.Handle)).IsRevoked);
    }

    [Fact]
    public async Task TheLegitimateRetryInsideTheWindowGetsTheSameSuccessorEveryTime()
    {
        using var tokens = new TokenHarness(tokenOptions: new TesseraTokenOptions { ReuseGraceWindow = TimeSpan.FromSeconds(5) });
        IssuedTokens first = await tokens.SignInAsync();
        Outcome<IssuedTokens> second = await tokens.RefreshAsync(first.RefreshToken);

        for (int i = 0; i < 3; i++)
        {
            tokens.Time.Advance(TimeSpan.FromSeconds(1));
            Outcome<IssuedTokens> again = await tokens.RefreshAsync(first.RefreshToken);
            Assert.Equal(second.Value!.RefreshToken, again.Value?.RefreshToken);
        }

        Assert.False((await tokens.StoredAsync(first.Session.Handle)).IsRevoked);
    }

    [Fact]
    public async Task GraceAnswersNeverExtendTheWindow()
    {
        using var tokens = new TokenHarness(tokenOptions: new TesseraTokenOptions { ReuseGraceWindow = TimeSpan.FromSeconds(5) });
        IssuedTokens first = await tokens.SignInAsync();
        Assert.True((await tokens.RefreshAsync(first.RefreshToken)).Succeeded);
        tokens.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.True((await tokens.RefreshAsync(first.RefreshToken)).Succeeded);
        tokens.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(TesseraErrorCodes.RefreshTokenReused, (await tokens.RefreshAsync(first.RefreshToken)).Error?.Code);
    }
}
