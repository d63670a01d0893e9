using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.Passwords;
using Tessera.Users;

namespace Tessera.Tests.Users;

public class PasswordSignInTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryUserStore _users = new();
    private readonly CountingPasswordHasher _hasher = new();
    private readonly LockoutOptions _lockout = new() { MaxFailedAttempts = 3, FirstDelay = TimeSpan.FromMinutes(10) };
    private readonly InMemoryThrottleStore _throttle;

    public PasswordSignInTests() => _throttle = new InMemoryThrottleStore(_time);

    private const string Here = "192.0.2.1";

    private PasswordSignIn SignIn(LockoutOptions? lockout = null) => new(_users, _hasher, _throttle, lockout ?? _lockout);

    private async Task<UserRecord> RegisterAsync(string username = "alice", string password = "correct horse")
    {
        Outcome<UserRecord> registered = await new UserRegistration(_users, _hasher, _time).RegisterAsync(username, password, CancellationToken.None);
        return registered.Value!;
    }

    [Fact]
    public async Task RightPasswordSignsInWhateverTheUsernameCasing()
    {
        UserRecord alice = await RegisterAsync();

        Outcome<UserRecord> result = await SignIn().SignInAsync("  ALICE ", "correct horse", Here, CancellationToken.None);

        Assert.Equal(alice.Id, result.Value?.Id);
    }

    [Fact]
    public async Task WrongPasswordIsInvalidCredentials()
    {
        await RegisterAsync();

        Outcome<UserRecord> result = await SignIn().SignInAsync("alice", "wrong horse", Here, CancellationToken.None);

        Assert.Equal(TesseraErrorCodes.InvalidCredentials, result.Error?.Code);
    }

    [Fact]
    public async Task UnknownAccountGetsTheSameAnswerAfterTheSameWork()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn();
        await signIn.SignInAsync("alice", "warm-up password", Here, CancellationToken.None);

        int before = _hasher.Verifications;
        Outcome<UserRecord> wrong = await signIn.SignInAsync("alice", "wrong horse", Here, CancellationToken.None);
        int wrongCost = _hasher.Verifications - before;
        before = _hasher.Verifications;
        Outcome<UserRecord> unknown = await signIn.SignInAsync("nobody", "wrong horse", Here, CancellationToken.None);
        int unknownCost = _hasher.Verifications - before;

        Assert.Equal(wrong.Error, unknown.Error);
        Assert.Equal(1, wrongCost);
        Assert.Equal(wrongCost, unknownCost);
    }

    [Fact]
    public async Task RepeatedFailuresMakeTheClientWaitEvenAgainstTheRightPassword()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn();
        for (int i = 0; i < 3; i++)
        {
            await signIn.SignInAsync("alice", "wrong horse", Here, CancellationToken.None);
        }

        int before = _hasher.Verifications;
        Outcome<UserRecord> locked = await signIn.SignInAsync("alice", "correct horse", Here, CancellationToken.None);

        Assert.Equal(TesseraErrorCodes.InvalidCredentials, locked.Error?.Code);
        Assert.Equal(1, _hasher.Verifications - before);
    }

    [Fact]
    public async Task LockoutEndsAfterItsDuration()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn();
        for (int i = 0; i < 3; i++)
        {
            await signIn.SignInAsync("alice", "wrong horse", Here, CancellationToken.None);
        }

        _time.Advance(TimeSpan.FromMinutes(10));
        Outcome<UserRecord> result = await signIn.SignInAsync("alice", "correct horse", Here, CancellationToken.None);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task SuccessResetsTheFailureCount()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn();
        await signIn.SignInAsync("alice", "wrong horse", Here, CancellationToken.None);
        await signIn.SignInAsync("alice", "wrong horse", Here, CancellationToken.None);
        await signIn.SignInAsync("alice", "correct horse", Here, CancellationToken.None);

        await signIn.SignInAsync("alice", "wrong horse", Here, CancellationToken.None);
        await signIn.SignInAsync("alice", "wrong horse", Here, CancellationToken.None);

        Assert.True((await signIn.SignInAsync("alice", "correct horse", Here, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task RevealedLockoutAnswersAccountLocked()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn(_lockout with { RevealLockout = true });
        for (int i = 0; i < 3; i++)
        {
            await signIn.SignInAsync("alice", "wrong horse", Here, CancellationToken.None);
        }

        Outcome<UserRecord> result = await signIn.SignInAsync("alice", "correct horse", Here, CancellationToken.None);

        Assert.Equal(TesseraErrorCodes.AccountLocked, result.Error?.Code);
    }

    [Fact]
    public async Task HashWithOlderParametersIsUpgradedAtSignIn()
    {
        var weak = new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 });
        var strong = new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 2048, Iterations = 2 });
        UserRecord alice = (await new UserRegistration(_users, weak, _time).RegisterAsync("alice", "correct horse", CancellationToken.None)).Value!;

        Outcome<UserRecord> result = await new PasswordSignIn(_users, strong, _throttle, _lockout).SignInAsync("alice", "correct horse", Here, CancellationToken.None);

        Assert.True(result.Succeeded);
        string stored = (await _users.FindByIdAsync(alice.Id, CancellationToken.None))!.PasswordHash;
        Assert.StartsWith("$argon2id$v=19$m=2048,t=2,p=1$", stored, StringComparison.Ordinal);
        Assert.Equal(PasswordVerification.Succeeded, strong.Verify("correct horse", stored));
    }

    [Fact]
    public async Task FailuresFromOneClientLeaveEveryOtherClientAlone()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn();
        for (int i = 0; i < 10; i++)
        {
            await signIn.SignInAsync("alice", "wrong horse", "203.0.113.66", CancellationToken.None);
        }

        Assert.True((await signIn.SignInAsync("alice", "correct horse", Here, CancellationToken.None)).Succeeded);
        Assert.False((await signIn.SignInAsync("alice", "correct horse", "203.0.113.66", CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task EachFailureAfterAWaitDoublesTheNextUpToTheLongest()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn(new LockoutOptions { MaxFailedAttempts = 3, FirstDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromMinutes(4) });
        for (int i = 0; i < 3; i++)
        {
            await signIn.SignInAsync("alice", "wrong horse", Here, CancellationToken.None);
        }

        // Waits of 1, 2, 4 and (capped) 4 minutes: a right password a second early is refused, and
        // so does not count; a wrong one on time starts the next, longer wait.
        foreach (int minutes in new[] { 1, 2, 4 })
        {
            _time.Advance(TimeSpan.FromMinutes(minutes) - TimeSpan.FromSeconds(1));
            Assert.Equal(TesseraErrorCodes.InvalidCredentials, (await signIn.SignInAsync("alice", "correct horse", Here, CancellationToken.None)).Error?.Code);
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(TesseraErrorCodes.InvalidCredentials, (await signIn.SignInAsync("alice", "wrong horse", Here, CancellationToken.None)).Error?.Code);
        }

        _time.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        Assert.False((await signIn.SignInAsync("alice", "correct horse", Here, CancellationToken.None)).Succeeded);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await signIn.SignInAsync("alice", "correct horse", Here, CancellationToken.None)).Succeeded);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(3, 30)]
    [InlineData(4, 60)]
    [InlineData(5, 120)]
    [InlineData(9, 600)]
    [InlineData(1_000_000, 600)]
    public void DelayDoublesFromTheFirstAndStopsAtTheLongest(long failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), PasswordLockout.DelayAfter(failures, new LockoutOptions { MaxFailedAttempts = 3, FirstDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromMinutes(10) }));

    [Fact]
    public async Task PastTheAccountWideCeilingOnlyClientsThatSignedInBeforeMayTry()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn(_lockout with { AccountFailureLimit = 6 });
        Assert.True((await signIn.SignInAsync("alice", "correct horse", "owner-laptop", CancellationToken.None)).Succeeded);
        // A spread-out attack: no address reaches its own limit of 3.
        for (int i = 0; i < 6; i++)
        {
            await signIn.SignInAsync("alice", "wrong horse", $"203.0.113.{i / 2}", CancellationToken.None);
        }

        int before = _hasher.Verifications;
        Outcome<UserRecord> newDevice = await signIn.SignInAsync("alice", "correct horse", "new-phone", CancellationToken.None);

        Assert.Equal(TesseraErrorCodes.InvalidCredentials, newDevice.Error?.Code);
        Assert.Equal(1, _hasher.Verifications - before);
        Assert.True((await signIn.SignInAsync("alice", "correct horse", "owner-laptop", CancellationToken.None)).Succeeded);
        _time.Advance(_lockout.FailureWindow);
        Assert.True((await signIn.SignInAsync("alice", "correct horse", "new-phone", CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task UnknownNamesWaitLikeRealOnesEvenWhenTheLockoutIsRevealed()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn(_lockout with { RevealLockout = true });
        for (int i = 0; i < 3; i++)
        {
            await signIn.SignInAsync("alice", "wrong horse", Here, CancellationToken.None);
            await signIn.SignInAsync("nobody", "wrong horse", Here, CancellationToken.None);
        }

        Assert.Equal(TesseraErrorCodes.AccountLocked, (await signIn.SignInAsync("alice", "wrong horse", Here, CancellationToken.None)).Error?.Code);
        Assert.Equal(TesseraErrorCodes.AccountLocked, (await signIn.SignInAsync("nobody", "wrong horse", Here, CancellationToken.None)).Error?.Code);
    }

    [Fact]
    public async Task ParallelGuessesFromOneClientCannotSlipPastTheWait()
    {
        UserRecord alice = await RegisterAsync();
        PasswordSignIn signIn = SignIn(_lockout with { MaxDelay = TimeSpan.FromHours(1) });
        await signIn.SignInAsync("alice", "wrong horse", Here, CancellationToken.None);
        await signIn.SignInAsync("alice", "wrong horse", Here, CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () => await signIn.SignInAsync("alice", $"guess {i}", Here, CancellationToken.None))));

        // At most one of them was checked (the third failure: a wait of FirstDelay); had all been
        // counted, the wait would have doubled up to MaxDelay.
        _time.Advance(_lockout.FirstDelay);
        Assert.Equal(alice.Id, (await signIn.SignInAsync("alice", "correct horse", Here, CancellationToken.None)).Value?.Id);
    }

    [Fact]
    public async Task ParallelSignInsOfOneAccountFromAClientWithoutFailuresAllSucceed()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn();

        Outcome<UserRecord>[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await signIn.SignInAsync("alice", "correct horse", Here, CancellationToken.None))));

        Assert.All(results, r => Assert.True(r.Succeeded));
    }

    [Fact]
    public async Task ConfirmingTheCurrentPasswordSharesTheSignInCounters()
    {
        UserRecord alice = await RegisterAsync();
        PasswordSignIn signIn = SignIn();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(TesseraErrorCodes.InvalidCredentials, (await signIn.ConfirmPasswordAsync(alice, "wrong horse", Here, CancellationToken.None))?.Code);
        }

        Assert.NotNull(await signIn.ConfirmPasswordAsync(alice, "correct horse", Here, CancellationToken.None));
        Assert.False((await signIn.SignInAsync("alice", "correct horse", Here, CancellationToken.None)).Succeeded);
        Assert.Null(await signIn.ConfirmPasswordAsync(alice, "correct horse", "198.51.100.1", CancellationToken.None));
    }

    [Fact]
    public void OptionsThatCannotWorkAreNamed()
    {
        Assert.Null(new LockoutOptions().Problem());
        Assert.Contains("FirstDelay", new LockoutOptions { FirstDelay = TimeSpan.Zero }.Problem(), StringComparison.Ordinal);
        Assert.Contains("MaxDelay", new LockoutOptions { MaxDelay = TimeSpan.FromSeconds(1) }.Problem(), StringComparison.Ordinal);
        Assert.Contains("FailureWindow", new LockoutOptions { FailureWindow = TimeSpan.FromMinutes(1) }.Problem(), StringComparison.Ordinal);
        Assert.Contains("AccountFailureLimit", new LockoutOptions { AccountFailureLimit = 2 }.Problem(), StringComparison.Ordinal);
        Assert.Null(new LockoutOptions { MaxFailedAttempts = 0, AccountFailureLimit = 0 }.Problem());
    }
}
