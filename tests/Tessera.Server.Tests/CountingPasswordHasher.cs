using Tessera.Passwords;

namespace Tessera.Server.Tests;

/// <summary>
/// The real Argon2id hasher, counting verifications and hashes, to show that every sign-in path does
/// the same work, and which of them came through the async calls a request path must use.
/// </summary>
internal sealed class CountingPasswordHasher(Argon2idPasswordHasher inner) : IPasswordHasher
{
    private int _verifications;
    private int _asyncVerifications;
    private int _hashes;
    private int _asyncHashes;

    public int Verifications => Volatile.Read(ref _verifications);

    /// <summary>Of <see cref="Verifications"/>, those asked for through <see cref="VerifyAsync"/>.</summary>
    public int AsyncVerifications => Volatile.Read(ref _asyncVerifications);

    public int Hashes => Volatile.Read(ref _hashes);

    /// <summary>Of <see cref="Hashes"/>, those asked for through <see cref="HashAsync"/>.</summary>
    public int AsyncHashes => Volatile.Read(ref _asyncHashes);

    public string Hash(string password)
    {
        Interlocked.Increment(ref _hashes);
        return inner.Hash(password);
    }

    public PasswordVerification Verify(string password, string storedHash)
    {
        Interlocked.Increment(ref _verifications);
        return inner.Verify(password, storedHash);
    }

    public ValueTask<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _asyncHashes);
        return ValueTask.FromResult(Hash(password));
    }

    public ValueTask<PasswordVerification> VerifyAsync(string password, string storedHash, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _asyncVerifications);
        return ValueTask.FromResult(Verify(password, storedHash));
    }
}
