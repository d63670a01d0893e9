namespace Tessera.Passwords;

/// <summary>Turns passwords into self-describing stored hashes and checks passwords against them.</summary>
public interface IPasswordHasher
{
    /// <summary>Hashes <paramref name="password"/> with a fresh salt and the current parameters.</summary>
    string Hash(string password);

    /// <summary>Checks <paramref name="password"/> against <paramref name="storedHash"/> in constant time.</summary>
    PasswordVerification Verify(string password, string storedHash);

    /// <summary>
    /// <see cref="Hash"/> for a request path: an implementation may bound how many hashes run at once
    /// (each costs tens of MiB) and wait briefly for a slot; it throws
    /// <see cref="PasswordHashingBusyException"/> when none frees in time.
    /// </summary>
    ValueTask<string> HashAsync(string password, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Hash(password));

    /// <summary><see cref="Verify"/> for a request path, bounded like <see cref="HashAsync"/>.</summary>
    ValueTask<PasswordVerification> VerifyAsync(string password, string storedHash, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Verify(password, storedHash));
}
