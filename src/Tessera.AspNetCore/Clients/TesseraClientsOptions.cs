namespace Tessera.AspNetCore.Clients;

/// <summary>The clients the host registers at every start (<c>Tessera:Clients</c>), by configuration key.</summary>
public sealed class TesseraClientsOptions
{
    public const string Section = "Tessera:Clients";

    public Dictionary<string, ConfiguredClient> Clients { get; } = new(StringComparer.OrdinalIgnoreCase);
}
