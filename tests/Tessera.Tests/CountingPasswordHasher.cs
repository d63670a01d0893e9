using Tessera.Passwords;

namespace Tessera.Tests;

/// <summary>A real Argon2id hasher (cheap parameters) that counts the verifications it performs.</summary>
internal sealed class CountingPasswordHasher(Argon2idParameters parameters) : IPasswordHasher
{
    private readonly Argon2idPasswordHasher _inner = new(parameters);
    private int _verifications;
    private int _hashes;

    public CountingPasswordHasher()
        : this(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 })
    {
    }

    public int Verifications => Volatile.Read(ref _verifications);

    public int Hashes => Volatile.Read(ref _hashes);

    public string Hash(string password)
    {
        Interlocked.Increment(ref _hashes);
        return _inner.Hash(password);
    }

    public PasswordVerification Verify(string password, string storedHash)
    {
        Interlocked.Increment(ref _verifications);
        return _inner.Verify(password, storedHash);
    }
}
