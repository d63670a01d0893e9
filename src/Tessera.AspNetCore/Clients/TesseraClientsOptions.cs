namespace Tessera.AspNetCore.Clients;

/// <summary>The clients the host registers at every start (<c>Tessera:Clients</c>), by configuration key.</summary>
public sealed class TesseraClientsOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "Tessera:Clients";

    /// <summary>The configured clients, by configuration key (compared ignoring case).</summary>
    public Dictionary<string, ConfiguredClient> Clients { get; } = new(StringComparer.OrdinalIgnoreCase);
}
