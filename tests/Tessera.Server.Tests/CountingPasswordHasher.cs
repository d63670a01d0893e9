using Tessera.Passwords;

namespace Tessera.Server.Tests;

/// <summary>The real Argon2id hasher, counting verifications, to show that every sign-in path does the same work.</summary>
internal sealed class CountingPasswordHasher(Argon2idPasswordHasher inner) : IPasswordHasher
{
    private int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    public string Hash(string password) => inner.Hash(password);

    public PasswordVerification Verify(string password, string storedHash)
    {
        Interlocked.Increment(ref _verifications);
        return inner.Verify(password, storedHash);
    }
}
