namespace Tessera.Jose;

/// <summary>
/// Thrown only by the convenience methods that have no result to carry an error (for example
/// <c>Jwk.Parse</c>); it carries the same stable <see cref="JoseError"/>.
/// </summary>
public sealed class JoseException : Exception
{
    /// <summary>An exception carrying <paramref name="error"/>; its message is the error's text.</summary>
    public JoseException(JoseError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString()) => Error = error;

    /// <summary>An exception with the code <see cref="JoseErrorCodes.Malformed"/> and no detail (for serializers and analyzers; Tessera always says what went wrong).</summary>
    public JoseException()
        : this(new JoseError(JoseErrorCodes.Malformed, "unspecified JOSE error"))
    {
    }

    /// <summary>An exception with the code <see cref="JoseErrorCodes.Malformed"/> and <paramref name="message"/>.</summary>
    public JoseException(string message)
        : this(new JoseError(JoseErrorCodes.Malformed, message))
    {
    }

    /// <summary>An exception with the code <see cref="JoseErrorCodes.Malformed"/>, caused by <paramref name="innerException"/>.</summary>
    public JoseException(string message, Exception innerException)
        : base(message, innerException) => Error = new JoseError(JoseErrorCodes.Malformed, message);

    /// <summary>The error, with its stable code: branch on <see cref="JoseError.Code"/>, never on the message.</summary>
    public JoseError Error { get; }

    /// <summary>The stable code of <see cref="Error"/> (a <see cref="JoseErrorCodes"/> value).</summary>
    public string Code => Error.Code;
}
