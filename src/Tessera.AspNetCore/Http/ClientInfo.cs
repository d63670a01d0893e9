using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Http;

public static class ClientInfo
{
    /// <summary>
    /// The caller's address and agent. The address is the connection's peer; behind a reverse proxy,
    /// enable the forwarded-headers middleware so it is the client's, not the proxy's.
    /// </summary>
    public static SessionClient From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new SessionClient(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers[HeaderNames.UserAgent].ToString());
    }

    /// <summary>The rate-limiting partition of a caller.</summary>
    public static string PartitionKey(HttpContext context) =>
        context?.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
