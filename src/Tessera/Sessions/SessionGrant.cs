namespace Tessera.Sessions;

/// <summary>
/// What an OAuth grant records on the session it creates: the client, the granted scope and when
/// the user authenticated (copied to <see cref="SessionRecord.ClientId"/>, <see cref="SessionRecord.Scope"/>,
/// <see cref="SessionRecord.AuthenticatedAt"/>).
/// </summary>
public sealed record SessionGrant(string ClientId, string Scope, DateTimeOffset AuthenticatedAt);
