namespace Tessera.Passwords;

/// <summary>
/// Every password-hashing slot stayed busy for the whole wait: the server answers 503 with
/// <c>Retry-After</c> instead of letting memory grow with the hashes in flight.
/// </summary>
public sealed class PasswordHashingBusyException : Exception
{
    public PasswordHashingBusyException()
        : this("Every password-hashing slot is busy.")
    {
    }

    public PasswordHashingBusyException(string message)
        : base(message)
    {
    }

    public PasswordHashingBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How long the caller should wait before trying again.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);
}
