namespace Tessera.Sessions;

/// <summary>Where a request comes from, as far as the server can tell.</summary>
public sealed record SessionClient
{
    /// <summary>User agents longer than this are cut before they are stored.</summary>
    public const int MaximumUserAgentLength = 512;

    public SessionClient(string? ipAddress, string? userAgent)
    {
        IpAddress = string.IsNullOrEmpty(ipAddress) ? null : ipAddress;
        UserAgent = string.IsNullOrEmpty(userAgent) ? null
            : userAgent.Length > MaximumUserAgentLength ? userAgent[..MaximumUserAgentLength] : userAgent;
    }

    public string? IpAddress { get; }

    public string? UserAgent { get; }
}
