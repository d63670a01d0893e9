namespace Tessera.Modes.Tests.Hosting;

/// <summary>Who a request comes from: the peer address (set through <see cref="ModesHost.ClientIpHeader"/>) and the user agent.</summary>
public sealed record ClientIdentity(string Ip, string UserAgent)
{
    /// <summary>The device a credential was issued to.</summary>
    public static ClientIdentity Laptop { get; } = new("198.51.100.7", "Laptop/1.0");

    /// <summary>The same agent from another address.</summary>
    public static ClientIdentity LaptopElsewhere { get; } = new("203.0.113.66", "Laptop/1.0");

    /// <summary>Another agent from the same address.</summary>
    public static ClientIdentity OtherAgentAtHome { get; } = new("198.51.100.7", "Scraper/9.9");

    /// <summary>Another address and another agent.</summary>
    public static ClientIdentity Stranger { get; } = new("203.0.113.99", "Scraper/9.9");

    /// <summary>A second device of the same user, with its own session.</summary>
    public static ClientIdentity Desktop { get; } = new("198.51.100.20", "Desktop/3.0");
}
