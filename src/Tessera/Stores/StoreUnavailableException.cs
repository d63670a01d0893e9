namespace Tessera.Stores;

/// <summary>
/// A store could not be reached or answered with an I/O failure. Not an expected outcome of the
/// domain: HTTP hosts map it to 503 <c>store_unavailable</c>. Never carries secrets in its message.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
        : base("The store is unavailable.")
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
