namespace Tessera;

/// <summary>
/// An expected failure: a stable <see cref="Code"/> (see <see cref="TesseraErrorCodes"/>) that
/// callers and HTTP clients branch on, and a message for people. Exceptions are kept for misuse,
/// bugs and unavailable infrastructure.
/// </summary>
public sealed record TesseraError(string Code, string Message)
{
    /// <summary>
    /// A finer cause where the outward <see cref="Code"/> must stay the same: the JOSE code
    /// (<c>expired</c>, <c>signature_invalid</c>, <c>key_not_found</c>, …) behind <c>invalid_token</c>.
    /// Null when the code says all there is.
    /// </summary>
    public string? Reason { get; init; }
}
