namespace Tessera.InMemory;

/// <summary>
/// The part of a <see cref="CompactSession"/> most sessions never need: made on the first revocation,
/// flag, rotation, attribute, OAuth grant or DPoP binding, or for a value the inline fields cannot hold.
/// </summary>
internal sealed class CompactSessionExtra
{
    public string? HandleText { get; set; }

    public byte[]? OddSecretHash { get; set; }

    public string? ClientIpText { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevocationReason { get; set; }

    public DateTimeOffset? FlaggedAt { get; set; }

    public string? FlagReason { get; set; }

    public byte[]? PreviousSecretHash { get; set; }

    public DateTimeOffset? SecretRotatedAt { get; set; }

    public long Generation { get; set; }

    public byte[]? RotatedBy { get; set; }

    public string? ClientId { get; set; }

    public string? Scope { get; set; }

    public DateTimeOffset? AuthenticatedAt { get; set; }

    public string? KeyThumbprint { get; set; }

    public int FormatVersion { get; set; } = Sessions.SessionRecord.CurrentFormatVersion;

    public Dictionary<string, string>? Attributes { get; set; }
}
