namespace Tessera.OAuth.Registration;

/// <summary>One invalid field of a <see cref="ClientRegistrationRequest"/>: its name (as the admin API spells it), a stable code and a message for people.</summary>
public sealed record ClientRegistrationProblem(string Field, string Code, string Message)
{
    /// <summary>This problem as a <see cref="TesseraError"/>, for an API's problem+json answer.</summary>
    public TesseraError ToError() => new(Code, Message);
}
