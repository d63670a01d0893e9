namespace Tessera;

/// <summary>
/// An expected failure: a stable <see cref="Code"/> (see <see cref="TesseraErrorCodes"/>) that
/// callers and HTTP clients branch on, and a message for people. Exceptions are kept for misuse,
/// bugs and unavailable infrastructure.
/// </summary>
public sealed record TesseraError(string Code, string Message);
