using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Tessera.Passwords;

/// <summary>
/// Argon2id (RFC 9106) through NSec over libsodium, stored as a PHC string. A hash made with other
/// parameters than the current ones still verifies and is reported as needing a rehash, so raising
/// the cost upgrades every account at its next sign-in. <see cref="HashAsync"/> and
/// <see cref="VerifyAsync"/> (request paths) go through a <see cref="PasswordHashingGate"/> that bounds
/// the hashes in flight; <see cref="Hash"/> and <see cref="Verify"/> (the CLI, seeding) do not.
/// </summary>
public sealed class Argon2idPasswordHasher : IPasswordHasher
{
    private readonly Argon2idParameters _parameters;
    private readonly Argon2id _algorithm;
    private readonly PasswordHashingGate _gate;

    /// <summary>A hasher whose async methods share <paramref name="gate"/>, or a gate of its own with the default limits.</summary>
    public Argon2idPasswordHasher(Argon2idParameters parameters, PasswordHashingGate? gate = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        string? problem = parameters.Problem();
        if (problem is not null)
        {
            throw new ArgumentException($"Invalid Argon2id parameters: {problem}.", nameof(parameters));
        }

        _parameters = parameters;
        _algorithm = CreateAlgorithm(parameters.MemoryKiB, parameters.Iterations);
        _gate = gate ?? new PasswordHashingGate(new PasswordHashingLimits(), TimeProvider.System);
    }

    /// <summary>The parameters new hashes are made with; a stored hash with others verifies and needs a rehash.</summary>
    public Argon2idParameters Parameters => _parameters;

    /// <inheritdoc />
    public ValueTask<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        return _gate.RunAsync((Hasher: this, Password: password), static s => s.Hasher.Hash(s.Password), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<PasswordVerification> VerifyAsync(string password, string storedHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        return _gate.RunAsync((Hasher: this, Password: password, Stored: storedHash), static s => s.Hasher.Verify(s.Password, s.Stored), cancellationToken);
    }

    /// <inheritdoc />
    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        byte[] salt = RandomNumberGenerator.GetBytes(Argon2idParameters.SaltBytes);
        byte[] hash = Derive(_algorithm, password, salt, _parameters.HashBytes);
        return new PhcString(PhcString.Argon2id, PhcString.Argon2Version13, _parameters.MemoryKiB, _parameters.Iterations, _parameters.Parallelism, salt, hash).Format();
    }

    /// <inheritdoc />
    public PasswordVerification Verify(string password, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        PhcString? phc = PhcString.TryParse(storedHash);
        if (phc is null || !IsReadable(phc))
        {
            return PasswordVerification.Failed;
        }

        Argon2id algorithm = phc.MemoryKiB == _parameters.MemoryKiB && phc.Iterations == _parameters.Iterations
            ? _algorithm
            : CreateAlgorithm(phc.MemoryKiB, phc.Iterations);
        byte[] computed = Derive(algorithm, password, phc.Salt, phc.Hash.Length);
        if (!CryptographicOperations.FixedTimeEquals(computed, phc.Hash))
        {
            return PasswordVerification.Failed;
        }

        return IsCurrent(phc) ? PasswordVerification.Succeeded : PasswordVerification.SucceededRehashNeeded;
    }

    private bool IsCurrent(PhcString phc) =>
        phc.MemoryKiB == _parameters.MemoryKiB
        && phc.Iterations == _parameters.Iterations
        && phc.Parallelism == _parameters.Parallelism
        && phc.Salt.Length == Argon2idParameters.SaltBytes
        && phc.Hash.Length == _parameters.HashBytes;

    // Bounds apply to stored hashes too: a tampered row must not make us allocate gigabytes.
    private static bool IsReadable(PhcString phc) =>
        phc.Algorithm == PhcString.Argon2id
        && phc.Version == PhcString.Argon2Version13
        && phc.Parallelism == 1
        && phc.MemoryKiB is >= 8 and <= Argon2idParameters.MaximumMemoryKiB
        && phc.Iterations is >= 1 and <= Argon2idParameters.MaximumIterations
        && phc.Salt.Length == Argon2idParameters.SaltBytes
        && phc.Hash.Length is >= 16 and <= 64;

    private static Argon2id CreateAlgorithm(int memoryKiB, int iterations) =>
        PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            MemorySize = memoryKiB,
            NumberOfPasses = iterations,
            DegreeOfParallelism = 1,
        });

    private static byte[] Derive(Argon2id algorithm, string password, byte[] salt, int length)
    {
        byte[] passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return algorithm.DeriveBytes(passwordBytes, salt, length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }
}
