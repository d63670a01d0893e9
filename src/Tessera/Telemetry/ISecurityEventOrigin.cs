namespace Tessera.Telemetry;

/// <summary>
/// Where the request behind a security event came from, for <see cref="Audit.AuditEvent.Address"/>.
/// The domain knows no HTTP: an ASP.NET Core host supplies the caller's address (after trusted
/// forwarded headers); without one, events carry no address.
/// </summary>
public interface ISecurityEventOrigin
{
    /// <summary>The current caller's address, or null when there is no request (a background job, the CLI).</summary>
    string? Address { get; }
}
