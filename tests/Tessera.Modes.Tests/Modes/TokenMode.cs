namespace Tessera.Modes.Tests.Modes;

/// <summary>What the two token modes share: a rotating refresh token, and the bearer scheme's answer to a token nobody signed.</summary>
public abstract class TokenMode : CredentialMode
{
    public override bool RotatesOnRefresh => true;

    public override string UnknownCredentialCode => "invalid_token";

    public override Credential MadeUp { get; } = new("made-up", UnsignedAccessToken, RandomSecret());
}
