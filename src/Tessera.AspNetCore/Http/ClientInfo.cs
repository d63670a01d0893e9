using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Http;

/// <summary>What a request says about its client: the address, the user agent, the rate-limit partition.</summary>
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

    /// <summary>The rate-limiting partition of a caller (see <see cref="PartitionKey(IPAddress)"/>).</summary>
    public static string PartitionKey(HttpContext context) =>
        context?.Connection.RemoteIpAddress is { } address ? PartitionKey(address) : "unknown";

    /// <summary>
    /// An IPv4 address is its own partition (an IPv4-mapped IPv6 address is its IPv4 address). An
    /// IPv6 address counts as its /64 prefix: one subscriber usually gets a whole /64 (RFC 6177 §3,
    /// RFC 8981 temporary addresses), so per-address limits would give a single client 2^64 budgets.
    /// </summary>
    public static string PartitionKey(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        // The interface identifier (and the zone, which a new address does not carry) is dropped.
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
