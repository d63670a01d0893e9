namespace Tessera.OAuth.Registration;

/// <summary>
/// A client as stored, and the secret Tessera generated for it just now, if any: shown once, then
/// only its hash exists (<see cref="OAuthClient.SecretHashes"/>).
/// </summary>
public sealed record RegisteredClient(OAuthClient Client, string? Secret)
{
    // Records print their members; a secret must never reach a log through ToString.
    /// <summary>Names the client and whether a secret was made, never the secret itself.</summary>
    public override string ToString() => $"RegisteredClient {{ ClientId = {Client.ClientId}, NewSecret = {Secret is not null} }}";
}
