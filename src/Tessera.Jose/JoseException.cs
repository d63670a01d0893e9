namespace Tessera.Jose;

/// <summary>
/// Thrown only by the convenience methods that have no result to carry an error (for example
/// <c>Jwk.Parse</c>); it carries the same stable <see cref="JoseError"/>.
/// </summary>
public sealed class JoseException : Exception
{
    public JoseException(JoseError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString()) => Error = error;

    public JoseException()
        : this(new JoseError(JoseErrorCodes.Malformed, "unspecified JOSE error"))
    {
    }

    public JoseException(string message)
        : this(new JoseError(JoseErrorCodes.Malformed, message))
    {
    }

    public JoseException(string message, Exception innerException)
        : base(message, innerException) => Error = new JoseError(JoseErrorCodes.Malformed, message);

    public JoseError Error { get; }

    public string Code => Error.Code;
}
