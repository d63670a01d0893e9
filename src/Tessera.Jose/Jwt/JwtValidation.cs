namespace Tessera.Jose.Jwt;

/// <summary>The outcome of validating a JWT: the claims, or the reason it was refused.</summary>
public readonly record struct JwtValidation(JwtClaims? Claims, JoseError? Error)
{
    /// <summary>True when the signature verified and every claim rule of the policy held; otherwise <see cref="Error"/> says why.</summary>
    public bool IsValid => Error is null;

    internal static JwtValidation Fail(JoseError error) => new(null, error);
}
