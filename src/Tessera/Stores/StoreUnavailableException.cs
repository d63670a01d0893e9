namespace Tessera.Stores;

/// <summary>
/// A store could not be reached or answered with an I/O failure. Not an expected outcome of the
/// domain: HTTP hosts map it to 503 <c>store_unavailable</c>. Never carries secrets in its message.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>A store did not answer, for an unspecified reason.</summary>
    public StoreUnavailableException()
        : base("The store is unavailable.")
    {
    }

    /// <summary>A store did not answer; <paramref name="message"/> names it, for the operator.</summary>
    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>A store did not answer because of <paramref name="innerException"/> (a timeout, a refused connection).</summary>
    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
