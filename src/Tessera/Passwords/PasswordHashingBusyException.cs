namespace Tessera.Passwords;

/// <summary>
/// Every password-hashing slot stayed busy for the whole wait: the server answers 503 with
/// <c>Retry-After</c> instead of letting memory grow with the hashes in flight.
/// </summary>
public sealed class PasswordHashingBusyException : Exception
{
    /// <summary>No hashing slot freed in time, for an unspecified request.</summary>
    public PasswordHashingBusyException()
        : this("Every password-hashing slot is busy.")
    {
    }

    /// <summary>No hashing slot freed in time; <paramref name="message"/> says how long it waited.</summary>
    public PasswordHashingBusyException(string message)
        : base(message)
    {
    }

    /// <summary>No hashing slot freed in time, because of <paramref name="innerException"/>.</summary>
    public PasswordHashingBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How long the caller should wait before trying again.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);
}
