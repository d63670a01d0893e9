namespace Tessera.OAuth;

/// <summary>What a user allowed a client: the scopes, remembered so the consent page is not shown again.</summary>
public sealed record Consent
{
    /// <summary>The user who gave the consent.</summary>
    public required string UserId { get; init; }

    /// <summary>The client the consent was given to.</summary>
    public required string ClientId { get; init; }

    /// <summary>The scopes granted so far (a later consent adds to them).</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>When the user last consented; a later request for more scopes asks again.</summary>
    public required DateTimeOffset GrantedAt { get; init; }
}
