namespace Tessera.Modes.Tests.Hosting;

/// <summary>A registered user: the name to sign in with and the id the app sees as <c>sub</c>.</summary>
public sealed record Account(string Username, string UserId);
