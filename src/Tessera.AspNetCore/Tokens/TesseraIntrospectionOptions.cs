namespace Tessera.AspNetCore.Tokens;

/// <summary>
/// Who may call <c>POST /oauth2/introspect</c> (RFC 7662 §2.1: the endpoint must be protected):
/// client ids and their secrets, presented with HTTP Basic (<c>client_secret_basic</c>). Empty: the
/// endpoint answers 401 to everyone and discovery does not advertise it.
/// </summary>
public sealed class TesseraIntrospectionOptions
{
    /// <summary>The clients allowed to introspect: client id to secret.</summary>
    public Dictionary<string, string> Clients { get; } = new(StringComparer.Ordinal);
}
