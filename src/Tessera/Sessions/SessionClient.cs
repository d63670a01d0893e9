namespace Tessera.Sessions;

/// <summary>Where a request comes from, as far as the server can tell.</summary>
public sealed record SessionClient
{
    /// <summary>User agents longer than this are cut before they are stored.</summary>
    public const int MaximumUserAgentLength = 512;

    /// <summary>The client as a request shows it: <paramref name="ipAddress"/> and <paramref name="userAgent"/>, either unknown (null).</summary>
    public SessionClient(string? ipAddress, string? userAgent)
    {
        IpAddress = string.IsNullOrEmpty(ipAddress) ? null : ipAddress;
        UserAgent = string.IsNullOrEmpty(userAgent) ? null
            : userAgent.Length > MaximumUserAgentLength ? userAgent[..MaximumUserAgentLength] : userAgent;
    }

    /// <summary>The client's IP address, as the server sees it after trusted proxies.</summary>
    public string? IpAddress { get; }

    /// <summary>The client's User-Agent header.</summary>
    public string? UserAgent { get; }
}
