namespace Tessera.Sessions;

/// <summary>A session just created or rotated, with the secret to hand to the client once.</summary>
public sealed record IssuedSession(SessionRecord Session, string Secret)
{
    // Records print their members; the secret must never reach a log through ToString.
    /// <summary>Names the session only: the secret it carries is never printed.</summary>
    public override string ToString() => $"IssuedSession {{ Handle = {Session.Handle} }}";
}
