namespace Tessera.Passwords;

/// <summary>Turns passwords into self-describing stored hashes and checks passwords against them.</summary>
public interface IPasswordHasher
{
    /// <summary>Hashes <paramref name="password"/> with a fresh salt and the current parameters.</summary>
    string Hash(string password);

    /// <summary>Checks <paramref name="password"/> against <paramref name="storedHash"/> in constant time.</summary>
    PasswordVerification Verify(string password, string storedHash);
}
