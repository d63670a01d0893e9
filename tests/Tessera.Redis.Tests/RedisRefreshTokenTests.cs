using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Tessera.InMemory;
using Tessera.Keys;
using Tessera.Sessions;
using Tessera.Tokens;

namespace Tessera.Redis.Tests;

/// <summary>
/// Token mode over the Redis store (issue #13): a refresh keeps no <c>prev:</c> key, and still the
/// previous refresh token gets the grace answer, is reuse after it (RFC 9700 §4.14.2: the session
/// ends), and revokes its session (RFC 7009 §2.1). A version-1 token (before generations, it names
/// no session) keeps its index and the same answers, so sessions started before the upgrade go on.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisRefreshTokenTests : IDisposable
{
    private const string Issuer = "https://id.example.test";
    private static readonly SessionClient Home = new("198.51.100.1", "Browser/1");
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly RedisFixture _redis;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly RedisSessionStoreOptions _options = new() { KeyPrefix = RedisFixture.UniquePrefix() };
    private readonly TesseraTokenOptions _tokenOptions = new();
    private readonly RedisSessionStore _store;
    private readonly SessionService _sessions;
    private readonly SigningKeyRing _keys;
    private readonly TokenService _tokens;

    public RedisRefreshTokenTests(RedisFixture redis)
    {
        _redis = redis;
        _store = new RedisSessionStore(redis.Connection, _options, _time);
        _sessions = new SessionService(_store, new TesseraSessionOptions(), _time);
        _keys = new SigningKeyRing(new InMemorySigningKeyStore(), new DataProtectionSecretProtector(new EphemeralDataProtectionProvider()), _tokenOptions, _time);
        _tokens = new TokenService(_store, _sessions, _keys, _tokenOptions, _time);
    }

    public void Dispose() => _keys.Dispose();

    [Fact]
    public async Task ARefreshKeepsNoPreviousKeyAndThePreviousTokenIsReuseAfterTheGraceWindow()
    {
        IssuedTokens first = await _tokens.IssueAsync("user-1", Home, Issuer, None);
        IssuedTokens second = (await _tokens.RefreshAsync(first.RefreshToken, Home, Issuer, None)).Value!;
        Assert.Equal(0, await PreviousKeysAsync());

        _time.Advance(_tokenOptions.ReuseGraceWindow + TimeSpan.FromSeconds(1));
        Outcome<IssuedTokens> replay = await _tokens.RefreshAsync(first.RefreshToken, Home, Issuer, None);

        Assert.Equal(TesseraErrorCodes.RefreshTokenReused, replay.Error?.Code);
        Assert.True((await _store.FindByHandleAsync(second.Session.Handle, None))!.IsRevoked);
        Assert.False((await _tokens.RefreshAsync(second.RefreshToken, Home, Issuer, None)).Succeeded);
    }

    [Fact]
    public async Task ThePreviousTokenWithinTheGraceWindowGetsTheSameSuccessor()
    {
        IssuedTokens first = await _tokens.IssueAsync("user-1", Home, Issuer, None);
        IssuedTokens second = (await _tokens.RefreshAsync(first.RefreshToken, Home, Issuer, None)).Value!;

        Outcome<IssuedTokens> again = await _tokens.RefreshAsync(first.RefreshToken, Home, Issuer, None);

        Assert.True(again.Succeeded);
        Assert.Equal(second.RefreshToken, again.Value!.RefreshToken);
        Assert.False((await _store.FindByHandleAsync(second.Session.Handle, None))!.IsRevoked);
    }

    [Fact]
    public async Task RevokingThePreviousTokenEndsTheSession()
    {
        IssuedTokens first = await _tokens.IssueAsync("user-1", Home, Issuer, None);
        IssuedTokens second = (await _tokens.RefreshAsync(first.RefreshToken, Home, Issuer, None)).Value!;
        IssuedTokens third = (await _tokens.RefreshAsync(second.RefreshToken, Home, Issuer, None)).Value!;

        // Two generations back is neither current nor previous: RFC 7009 §2.2 answers 200, nothing ends.
        Assert.False(await _tokens.RevokeAsync(first.RefreshToken, None));
        Assert.True(await _tokens.RevokeAsync(second.RefreshToken, None));

        Assert.True((await _store.FindByHandleAsync(third.Session.Handle, None))!.IsRevoked);
    }

    [Fact]
    public async Task RevokingThePreviousTokenThroughRfc7009EndsTheSession()
    {
        IssuedTokens first = await _tokens.IssueAsync("user-1", Home, Issuer, None);
        IssuedTokens second = (await _tokens.RefreshAsync(first.RefreshToken, Home, Issuer, None)).Value!;

        Outcome<bool> revoked = await _tokens.RevokeTokenAsync(first.RefreshToken, clientId: null, Issuer, None);

        Assert.True(revoked.Value);
        Assert.True((await _store.FindByHandleAsync(second.Session.Handle, None))!.IsRevoked);
    }

    [Fact]
    public async Task AVersionOneTokenStillHasItsPreviousIndexReuseAndRevocation()
    {
        // A session started before generations: its refresh token is a bare 256-bit secret.
        IssuedSession old = await _sessions.CreateAsync("user-1", Home, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        IssuedTokens next = (await _tokens.RefreshAsync(old.Secret, Home, Issuer, None)).Value!;
        Assert.Equal(1, await PreviousKeysAsync());

        _time.Advance(_tokenOptions.ReuseGraceWindow + TimeSpan.FromSeconds(1));
        Assert.Equal(TesseraErrorCodes.RefreshTokenReused, (await _tokens.RefreshAsync(old.Secret, Home, Issuer, None)).Error?.Code);
        Assert.True((await _store.FindByHandleAsync(next.Session.Handle, None))!.IsRevoked);

        IssuedSession other = await _sessions.CreateAsync("user-1", Home, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        IssuedTokens otherNext = (await _tokens.RefreshAsync(other.Secret, Home, Issuer, None)).Value!;
        Assert.True(await _tokens.RevokeAsync(other.Secret, None));
        Assert.True((await _store.FindByHandleAsync(otherNext.Session.Handle, None))!.IsRevoked);
    }

    private async Task<int> PreviousKeysAsync()
    {
        int count = 0;
        await foreach (RedisKey _ in _redis.Connection.GetServer(_redis.Connection.GetEndPoints()[0]).KeysAsync(pattern: _options.KeyPrefix + "v1:prev:*"))
        {
            count++;
        }

        return count;
    }
}
