using Microsoft.AspNetCore.Http;
using Tessera.Telemetry;

namespace Tessera.AspNetCore.Telemetry;

/// <summary>
/// The address of the request being served, for audit events: the connection's peer, which is the
/// client's own address once the forwarded-headers middleware has run behind a trusted proxy (as
/// <see cref="Http.ClientInfo.From"/> reads it).
/// </summary>
internal sealed class HttpSecurityEventOrigin(IHttpContextAccessor accessor) : ISecurityEventOrigin
{
    public string? Address => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
}
