using Tessera.OAuth;
using Tessera.Sessions;

namespace Tessera.Stores.Conformance;

/// <summary>
/// What every <see cref="IAuthorizationCodeStore"/> must do: keep every field, and let a code be
/// redeemed once, across instances too (RFC 6749 §4.1.2); a backend's test project subclasses it.
/// </summary>
public abstract class AuthorizationCodeStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    private IAuthorizationCodeStore? _store;

    protected IAuthorizationCodeStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>A new, empty store.</summary>
    protected abstract ValueTask<IAuthorizationCodeStore> CreateStoreAsync();

    /// <summary>A second store over the same data with its own connections, as another server instance has; by default <see cref="Store"/>.</summary>
    protected virtual ValueTask<IAuthorizationCodeStore> OpenSecondInstanceAsync() => ValueTask.FromResult(Store);

    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync() => await DisposeStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private static AuthorizationCode NewCode(DateTimeOffset? expiresAt = null) => new()
    {
        CodeHash = SessionSecret.Generate().Hash,
        ClientId = "photo-app",
        UserId = "user-1",
        RedirectUri = "https://photos.example/callback?tenant=a",
        Scope = "openid profile offline_access",
        // RFC 7636 Appendix B's S256 challenge.
        CodeChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        Nonce = "n-0S6_WzA2Mj",
        AuthenticatedAt = Now - TimeSpan.FromMinutes(3),
        BrowserSessionHandle = RandomIds.New128(),
        // RFC 7638 §3.1's example thumbprint: a code bound to a DPoP key (RFC 9449 §10).
        DpopKeyThumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
        CreatedAt = Now,
        ExpiresAt = expiresAt ?? Now + TimeSpan.FromSeconds(60),
    };

    private static void AssertSame(AuthorizationCode expected, AuthorizationCode? found)
    {
        Assert.NotNull(found);
        Assert.Equal(expected.CodeHash.ToArray(), found.CodeHash.ToArray());
        Assert.Equal(expected.ClientId, found.ClientId);
        Assert.Equal(expected.UserId, found.UserId);
        Assert.Equal(expected.RedirectUri, found.RedirectUri);
        Assert.Equal(expected.Scope, found.Scope);
        Assert.Equal(expected.CodeChallenge, found.CodeChallenge);
        Assert.Equal(expected.Nonce, found.Nonce);
        Assert.Equal(expected.AuthenticatedAt, found.AuthenticatedAt);
        Assert.Equal(expected.BrowserSessionHandle, found.BrowserSessionHandle);
        Assert.Equal(expected.CreatedAt, found.CreatedAt);
        Assert.Equal(expected.ExpiresAt, found.ExpiresAt);
        Assert.Equal(expected.DpopKeyThumbprint, found.DpopKeyThumbprint);
        Assert.Equal(AuthorizationCode.CurrentFormatVersion, found.FormatVersion);
    }

    [Fact]
    public async Task TheFirstRedemptionGetsTheCodeAsStoredWithEveryFieldAndNotYetRedeemed()
    {
        AuthorizationCode code = NewCode();
        await Store.CreateAsync(code, None);

        AuthorizationCode? redeemed = await Store.TryRedeemAsync(code.CodeHash, Now.AddSeconds(5), "session-1", None);

        AssertSame(code, redeemed);
        Assert.Null(redeemed!.RedeemedAt);
        Assert.Null(redeemed.IssuedSessionHandle);
    }

    [Fact]
    public async Task ACodeWithoutNonceOrBrowserSessionRoundTrips()
    {
        AuthorizationCode code = NewCode() with { Nonce = null, BrowserSessionHandle = null, DpopKeyThumbprint = null };
        await Store.CreateAsync(code, None);

        AuthorizationCode? redeemed = await Store.TryRedeemAsync(code.CodeHash, Now, "session-1", None);
        AssertSame(code, redeemed);
        Assert.Null(redeemed!.DpopKeyThumbprint);
    }

    [Fact]
    public async Task TheDpopKeyACodeIsBoundToSurvivesItsRedemptionAndAReplay()
    {
        AuthorizationCode code = NewCode();
        await Store.CreateAsync(code, None);

        AuthorizationCode? first = await Store.TryRedeemAsync(code.CodeHash, Now.AddSeconds(1), "session-1", None);
        AuthorizationCode? replay = await Store.TryRedeemAsync(code.CodeHash, Now.AddSeconds(2), "session-2", None);

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", first?.DpopKeyThumbprint);
        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", replay?.DpopKeyThumbprint);
    }

    [Fact]
    public async Task AReplaySeesTheFirstRedemptionAndChangesNothing()
    {
        AuthorizationCode code = NewCode();
        await Store.CreateAsync(code, None);
        await Store.TryRedeemAsync(code.CodeHash, Now.AddSeconds(5), "session-1", None);

        AuthorizationCode? replay = await Store.TryRedeemAsync(code.CodeHash, Now.AddSeconds(9), "session-2", None);
        AuthorizationCode? again = await Store.TryRedeemAsync(code.CodeHash, Now.AddSeconds(12), "session-3", None);

        foreach (AuthorizationCode? seen in new[] { replay, again })
        {
            AssertSame(code, seen);
            Assert.Equal(Now.AddSeconds(5), seen!.RedeemedAt);
            Assert.Equal("session-1", seen.IssuedSessionHandle);
        }
    }

    [Fact]
    public async Task AnUnknownCodeRedeemsToNothing()
    {
        await Store.CreateAsync(NewCode(), None);

        Assert.Null(await Store.TryRedeemAsync(SessionSecret.Generate().Hash, Now, "session-1", None));
    }

    [Fact]
    public async Task CodesAreKeyedByTheirWholeHash()
    {
        AuthorizationCode code = NewCode();
        await Store.CreateAsync(code, None);
        byte[] nearlyTheSame = code.CodeHash.ToArray();
        nearlyTheSame[^1] ^= 1;

        Assert.Null(await Store.TryRedeemAsync(nearlyTheSame, Now, "session-1", None));
        Assert.Null((await Store.TryRedeemAsync(code.CodeHash, Now, "session-1", None))!.RedeemedAt);
    }

    [Fact]
    public async Task ConcurrentRedemptionsOfOneCodeFromTwoInstancesHaveExactlyOneWinner()
    {
        AuthorizationCode code = NewCode();
        await Store.CreateAsync(code, None);
        IAuthorizationCodeStore second = await OpenSecondInstanceAsync();

        (string Handle, AuthorizationCode? Seen)[] results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            string handle = "session-" + i;
            IAuthorizationCodeStore instance = i % 2 == 0 ? Store : second;
            return (handle, await instance.TryRedeemAsync(code.CodeHash, Now.AddMilliseconds(i), handle, None));
        })));

        Assert.All(results, result => Assert.NotNull(result.Seen));
        (string winner, _) = Assert.Single(results, result => result.Seen!.RedeemedAt is null);
        Assert.All(results.Where(result => result.Handle != winner), result => Assert.Equal(winner, result.Seen!.IssuedSessionHandle));
        Assert.Equal(winner, (await Store.TryRedeemAsync(code.CodeHash, Now, "late", None))!.IssuedSessionHandle);
    }

    [Fact]
    public async Task StoringAHashTwiceIsRefused()
    {
        AuthorizationCode code = NewCode();
        await Store.CreateAsync(code, None);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.CreateAsync(code with { UserId = "user-2" }, None));

        Assert.Equal("user-1", (await Store.TryRedeemAsync(code.CodeHash, Now, "session-1", None))!.UserId);
    }

    [Fact]
    public async Task PurgeRemovesOnlyCodesThatExpiredBeforeTheCutoff()
    {
        AuthorizationCode old = NewCode(expiresAt: Now - TimeSpan.FromMinutes(10));
        AuthorizationCode redeemedOld = NewCode(expiresAt: Now - TimeSpan.FromMinutes(5));
        AuthorizationCode atCutoff = NewCode(expiresAt: Now);
        AuthorizationCode live = NewCode(expiresAt: Now + TimeSpan.FromSeconds(30));
        foreach (AuthorizationCode code in new[] { old, redeemedOld, atCutoff, live })
        {
            await Store.CreateAsync(code, None);
        }

        await Store.TryRedeemAsync(redeemedOld.CodeHash, Now - TimeSpan.FromMinutes(6), "session-1", None);

        Assert.Equal(2, await Store.PurgeExpiredAsync(Now, None));

        Assert.Null(await Store.TryRedeemAsync(old.CodeHash, Now, "session-2", None));
        Assert.Null(await Store.TryRedeemAsync(redeemedOld.CodeHash, Now, "session-2", None));
        Assert.NotNull(await Store.TryRedeemAsync(atCutoff.CodeHash, Now, "session-2", None));
        Assert.NotNull(await Store.TryRedeemAsync(live.CodeHash, Now, "session-3", None));
        Assert.Equal(0, await Store.PurgeExpiredAsync(Now, None));
    }

    [Fact]
    public async Task CancelledCallsDoNotRun()
    {
        AuthorizationCode code = NewCode();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.CreateAsync(code, cancelled.Token));

        Assert.Null(await Store.TryRedeemAsync(code.CodeHash, Now, "session-1", None));
    }
}
