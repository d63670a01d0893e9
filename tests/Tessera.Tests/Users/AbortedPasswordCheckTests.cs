using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.Passwords;
using Tessera.Users;

namespace Tessera.Tests.Users;

/// <summary>
/// A caller that goes away while its password is being verified (the request aborted): the
/// verification's bookkeeping still finishes, so the failure counts and the client's one-at-a-time
/// slot is not left held (which made the owner's right password "invalid" for the slot's minute).
/// </summary>
public sealed class AbortedPasswordCheckTests
{
    private const string Here = "192.0.2.1";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryUserStore _users = new();
    private readonly CancellingHasher _hasher = new();
    private readonly LockoutOptions _lockout = new() { MaxFailedAttempts = 3, FirstDelay = TimeSpan.FromMinutes(10) };

    [Fact]
    public async Task AFailureAbortedDuringVerificationStillCountsAndFreesTheSlot()
    {
        await new UserRegistration(_users, _hasher, _time).RegisterAsync("alice", "correct horse", CancellationToken.None);
        var signIn = new PasswordSignIn(_users, _hasher, new InMemoryThrottleStore(_time), _lockout);

        // One ordinary failure: from now on this client's attempts take the slot.
        await signIn.SignInAsync("alice", "wrong 1", Here, CancellationToken.None);
        using (var aborted = new CancellationTokenSource())
        {
            _hasher.CancelDuringNextVerification = aborted;
            await signIn.SignInAsync("alice", "wrong 2", Here, aborted.Token);
        }

        // The slot is free: the owner's right password is not refused as "another attempt in flight".
        Outcome<UserRecord> owner = await signIn.SignInAsync("alice", "correct horse", Here, CancellationToken.None);
        Assert.True(owner.Succeeded, owner.Error?.Code);
    }

    [Fact]
    public async Task AbortedFailuresAreCountedTowardsTheWait()
    {
        await new UserRegistration(_users, _hasher, _time).RegisterAsync("alice", "correct horse", CancellationToken.None);
        var signIn = new PasswordSignIn(_users, _hasher, new InMemoryThrottleStore(_time), _lockout);

        for (int i = 0; i < _lockout.MaxFailedAttempts; i++)
        {
            using var aborted = new CancellationTokenSource();
            _hasher.CancelDuringNextVerification = aborted;
            await signIn.SignInAsync("alice", $"guess {i}", Here, aborted.Token);
        }

        // Three aborted guesses are three failures: the client now waits, even with the right password.
        Outcome<UserRecord> next = await signIn.SignInAsync("alice", "correct horse", Here, CancellationToken.None);
        Assert.Equal(TesseraErrorCodes.InvalidCredentials, next.Error?.Code);
    }

    /// <summary>Verifies for real, cancelling the caller's token mid-way when told to (the client hung up).</summary>
    private sealed class CancellingHasher : IPasswordHasher
    {
        private readonly Argon2idPasswordHasher _inner = new(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 });

        public CancellationTokenSource? CancelDuringNextVerification { get; set; }

        public string Hash(string password) => _inner.Hash(password);

        public PasswordVerification Verify(string password, string storedHash)
        {
            PasswordVerification result = _inner.Verify(password, storedHash);
            CancelDuringNextVerification?.Cancel();
            CancelDuringNextVerification = null;
            return result;
        }
    }
}
