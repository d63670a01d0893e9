namespace Tessera.Sessions;

/// <summary>
/// What a sign-in knows about a new session besides its user, client and grant: how the user
/// authenticated (RFC 8176 <c>amr</c> values, <see cref="AuthenticationMethodValues"/>) and the DPoP key
/// the session's tokens are bound to (RFC 9449). Copied to <see cref="SessionRecord.AuthenticationMethods"/>
/// and <see cref="SessionRecord.KeyThumbprint"/>.
/// </summary>
/// <param name="AuthenticationMethods">Space-separated <c>amr</c> values; null: a password sign-in.</param>
/// <param name="KeyThumbprint">The RFC 7638 thumbprint of the DPoP proof key; null: not bound.</param>
public sealed record SessionStart(string? AuthenticationMethods = null, string? KeyThumbprint = null);
