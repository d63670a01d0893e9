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
    private readonly LockoutOptions _lockout = new() { MaxFailedAttempts = 3, Duration = TimeSpan.FromMinutes(10) };

    private PasswordSignIn SignIn(LockoutOptions? lockout = null) => new(_users, _hasher, lockout ?? _lockout, _time);

    private async Task<UserRecord> RegisterAsync(string username = "alice", string password = "correct horse")
    {
        Outcome<UserRecord> registered = await new UserRegistration(_users, _hasher, _time).RegisterAsync(username, password, CancellationToken.None);
        return registered.Value!;
    }

    [Fact]
    public async Task RightPasswordSignsInWhateverTheUsernameCasing()
    {
        UserRecord alice = await RegisterAsync();

        Outcome<UserRecord> result = await SignIn().SignInAsync("  ALICE ", "correct horse", CancellationToken.None);

        Assert.Equal(alice.Id, result.Value?.Id);
    }

    [Fact]
    public async Task WrongPasswordIsInvalidCredentials()
    {
        await RegisterAsync();

        Outcome<UserRecord> result = await SignIn().SignInAsync("alice", "wrong horse", CancellationToken.None);

        Assert.Equal(TesseraErrorCodes.InvalidCredentials, result.Error?.Code);
    }

    [Fact]
    public async Task UnknownAccountGetsTheSameAnswerAfterTheSameWork()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn();
        await signIn.SignInAsync("alice", "warm-up password", CancellationToken.None);

        int before = _hasher.Verifications;
        Outcome<UserRecord> wrong = await signIn.SignInAsync("alice", "wrong horse", CancellationToken.None);
        int wrongCost = _hasher.Verifications - before;
        before = _hasher.Verifications;
        Outcome<UserRecord> unknown = await signIn.SignInAsync("nobody", "wrong horse", CancellationToken.None);
        int unknownCost = _hasher.Verifications - before;

        Assert.Equal(wrong.Error, unknown.Error);
        Assert.Equal(1, wrongCost);
        Assert.Equal(wrongCost, unknownCost);
    }

    [Fact]
    public async Task RepeatedFailuresLockTheAccountEvenAgainstTheRightPassword()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn();
        for (int i = 0; i < 3; i++)
        {
            await signIn.SignInAsync("alice", "wrong horse", CancellationToken.None);
        }

        int before = _hasher.Verifications;
        Outcome<UserRecord> locked = await signIn.SignInAsync("alice", "correct horse", CancellationToken.None);

        Assert.Equal(TesseraErrorCodes.InvalidCredentials, locked.Error?.Code);
        Assert.Equal(1, _hasher.Verifications - before);
        Assert.Equal(_time.GetUtcNow().AddMinutes(10), (await _users.FindByNormalizedUsernameAsync("alice", CancellationToken.None))!.LockedUntil);
    }

    [Fact]
    public async Task LockoutEndsAfterItsDuration()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn();
        for (int i = 0; i < 3; i++)
        {
            await signIn.SignInAsync("alice", "wrong horse", CancellationToken.None);
        }

        _time.Advance(TimeSpan.FromMinutes(10));
        Outcome<UserRecord> result = await signIn.SignInAsync("alice", "correct horse", CancellationToken.None);

        Assert.True(result.Succeeded);
        UserRecord stored = (await _users.FindByIdAsync(result.Value.Id, CancellationToken.None))!;
        Assert.Null(stored.LockedUntil);
        Assert.Equal(0, stored.FailedSignInCount);
    }

    [Fact]
    public async Task SuccessResetsTheFailureCount()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn();
        await signIn.SignInAsync("alice", "wrong horse", CancellationToken.None);
        await signIn.SignInAsync("alice", "wrong horse", CancellationToken.None);
        await signIn.SignInAsync("alice", "correct horse", CancellationToken.None);

        await signIn.SignInAsync("alice", "wrong horse", CancellationToken.None);
        await signIn.SignInAsync("alice", "wrong horse", CancellationToken.None);

        Assert.True((await signIn.SignInAsync("alice", "correct horse", CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task RevealedLockoutAnswersAccountLocked()
    {
        await RegisterAsync();
        PasswordSignIn signIn = SignIn(_lockout with { RevealLockout = true });
        for (int i = 0; i < 3; i++)
        {
            await signIn.SignInAsync("alice", "wrong horse", CancellationToken.None);
        }

        Outcome<UserRecord> result = await signIn.SignInAsync("alice", "correct horse", CancellationToken.None);

        Assert.Equal(TesseraErrorCodes.AccountLocked, result.Error?.Code);
    }

    [Fact]
    public async Task HashWithOlderParametersIsUpgradedAtSignIn()
    {
        var weak = new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 });
        var strong = new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 2048, Iterations = 2 });
        UserRecord alice = (await new UserRegistration(_users, weak, _time).RegisterAsync("alice", "correct horse", CancellationToken.None)).Value!;

        Outcome<UserRecord> result = await new PasswordSignIn(_users, strong, _lockout, _time).SignInAsync("alice", "correct horse", CancellationToken.None);

        Assert.True(result.Succeeded);
        string stored = (await _users.FindByIdAsync(alice.Id, CancellationToken.None))!.PasswordHash;
        Assert.StartsWith("$argon2id$v=19$m=2048,t=2,p=1$", stored, StringComparison.Ordinal);
        Assert.Equal(PasswordVerification.Succeeded, strong.Verify("correct horse", stored));
    }
}
