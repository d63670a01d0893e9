namespace Tessera.OAuth;

/// <summary>What a user allowed a client: the scopes, remembered so the consent page is not shown again.</summary>
public sealed record Consent
{
    public required string UserId { get; init; }

    public required string ClientId { get; init; }

    /// <summary>The scopes granted so far (a later consent adds to them).</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    public required DateTimeOffset GrantedAt { get; init; }
}
