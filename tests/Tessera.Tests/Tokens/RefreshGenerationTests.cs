using System.Buffers.Text;
using Microsoft.Extensions.Logging;
using Tessera.InMemory;
using Tessera.Sessions;
using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

/// <summary>
/// Issue #14 finding 5: a refresh token names its session and generation, so a token of ANY older
/// generation is reuse (RFC 9700 §4.14.2) while the store keeps a constant amount per session; a
/// forged old token (the handle is public) ends nothing; tokens issued before generations still work.
/// </summary>
public class RefreshGenerationTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(18)]
    public async Task ATokenManyGenerationsOldIsReuseAndStorageDidNotGrow(int replayed)
    {
        var store = new InMemorySessionStore();
        using var tokens = new TokenHarness(store: store);
        var chain = new List<IssuedTokens> { await tokens.SignInAsync() };
        Outcome<IssuedTokens> first = await tokens.RefreshAsync(chain[0].RefreshToken);
        chain.Add(first.Value!);
        int afterOne = store.EntryCount;
        for (int i = 1; i < 20; i++)
        {
            tokens.Time.Advance(TimeSpan.FromMinutes(1));
            chain.Add((await tokens.RefreshAsync(chain[^1].RefreshToken)).Value!);
        }

        Assert.Equal(afterOne, store.EntryCount);
        Assert.Equal(20, (await tokens.StoredAsync(chain[0].Session.Handle)).Generation);
        Assert.All(chain, pair => Assert.Equal(107, pair.RefreshToken.Length)); // docs/server.md: 80 bytes, base64url

        Outcome<IssuedTokens> reused = await tokens.RefreshAsync(chain[replayed].RefreshToken);

        Assert.Equal(TesseraErrorCodes.RefreshTokenReused, reused.Error?.Code);
        Assert.Equal(RevocationReasons.RefreshTokenReused, (await tokens.StoredAsync(chain[0].Session.Handle)).RevocationReason);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await tokens.RefreshAsync(chain[^1].RefreshToken)).Error?.Code);
    }

    [Fact]
    public async Task AnOldTokenFromBeforeTheRefreshSecretRotatedIsStillReuse()
    {
        var options = new TesseraTokenOptions { KeyRotationInterval = TimeSpan.FromDays(30), RefreshAbsoluteLifetime = TimeSpan.FromDays(30), RefreshIdleLifetime = TimeSpan.FromDays(30) };
        using var tokens = new TokenHarness(tokenOptions: options);
        IssuedTokens first = await tokens.SignInAsync();
        Outcome<IssuedTokens> second = await tokens.RefreshAsync(first.RefreshToken);
        tokens.Time.Advance(TimeSpan.FromDays(20)); // the ring makes a new refresh secret; the old one stays as previous
        Outcome<IssuedTokens> third = await tokens.RefreshAsync(second.Value!.RefreshToken);
        Assert.True(third.Succeeded);

        Assert.Equal(TesseraErrorCodes.RefreshTokenReused, (await tokens.RefreshAsync(first.RefreshToken)).Error?.Code);
    }

    [Fact]
    public async Task AForgedOldTokenNamingAPublicHandleEndsNothing()
    {
        using var tokens = new TokenHarness();
        IssuedTokens first = await tokens.SignInAsync();
        Outcome<IssuedTokens> second = await tokens.RefreshAsync(first.RefreshToken);
        Assert.True((await tokens.RefreshAsync(second.Value!.RefreshToken)).Succeeded);

        // Generation 0, the session's handle (the sid of every access token), guessed bytes: the tag is wrong.
        byte[] forged = Base64Url.DecodeFromChars(first.RefreshToken);
        forged[^1] ^= 0x01;
        Outcome<IssuedTokens> attempt = await tokens.RefreshAsync(Base64Url.EncodeToString(forged));

        Assert.Equal(TesseraErrorCodes.InvalidGrant, attempt.Error?.Code);
        Assert.False((await tokens.StoredAsync(first.Session.Handle)).IsRevoked);
    }

    [Fact]
    public async Task ATokenIssuedBeforeGenerationsStillRefreshesAndItsRetryGetsTheGraceAnswer()
    {
        using var tokens = new TokenHarness();
        // What a session started by an older version holds: a random 256-bit secret (43 characters).
        IssuedSession legacy = await tokens.Sessions.CreateAsync("user-1", TokenHarness.Home, SessionKinds.Token, tokens.TokenOptions.RefreshIdleLifetime, tokens.TokenOptions.RefreshAbsoluteLifetime, None);
        Assert.Equal(SessionSecret.EncodedLength, legacy.Secret.Length);

        Outcome<IssuedTokens> next = await tokens.RefreshAsync(legacy.Secret);
        Outcome<IssuedTokens> retry = await tokens.RefreshAsync(legacy.Secret);

        Assert.True(next.Succeeded);
        Assert.NotEqual(SessionSecret.EncodedLength, next.Value.RefreshToken.Length);
        Assert.Equal(next.Value.RefreshToken, retry.Value?.RefreshToken);
        Outcome<IssuedTokens> after = await tokens.RefreshAsync(next.Value.RefreshToken);
        Assert.True(after.Succeeded);

        // The one-time break (docs/server.md): a pre-generation token older than the previous one is
        // no longer recognised (nothing records it); it is refused as unknown, not as reuse.
        Assert.Equal(TesseraErrorCodes.InvalidGrant, (await tokens.RefreshAsync(legacy.Secret)).Error?.Code);
        tokens.Time.Advance(tokens.TokenOptions.ReuseGraceWindow + TimeSpan.FromSeconds(1));
        Assert.Equal(TesseraErrorCodes.RefreshTokenReused, (await tokens.RefreshAsync(next.Value.RefreshToken)).Error?.Code);
    }

    [Fact]
    public async Task ReuseIsLoggedAsASecurityEventWithoutTheToken()
    {
        var log = new RecordingLogger<TokenService>();
        using var tokens = new TokenHarness(log: log);
        IssuedTokens stolen = await tokens.SignInAsync();
        Outcome<IssuedTokens> victim = await tokens.RefreshAsync(stolen.RefreshToken);

        await tokens.RefreshAsync(stolen.RefreshToken, new SessionClient("203.0.113.9", "Curl/8"));

        (LogLevel level, EventId id, string message) = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal(2301, id.Id);
        Assert.Contains("other_client", message, StringComparison.Ordinal);
        Assert.Contains(stolen.Session.Handle, message, StringComparison.Ordinal);
        Assert.DoesNotContain(stolen.RefreshToken, message, StringComparison.Ordinal);
        Assert.DoesNotContain(victim.Value!.RefreshToken, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JunkShapedLikeANewTokenIsAnInvalidGrant()
    {
        using var tokens = new TokenHarness();
        await tokens.SignInAsync();

        foreach (string junk in new[] { new string('A', 80), "Ag" + new string('A', 100), new string('-', 200) })
        {
            Assert.Equal(TesseraErrorCodes.InvalidGrant, (await tokens.RefreshAsync(junk)).Error?.Code);
        }
    }
}
