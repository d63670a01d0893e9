using System.Net;

namespace Tessera.Server.Hosting;

/// <summary>
/// The reverse proxies allowed to say who the client is (section <c>Tessera:ForwardedHeaders</c>).
/// Both lists empty (the default): <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are ignored,
/// because anyone can send them; trusting them unconditionally would let a client pick the address
/// that rate limits, session binding and the session list see.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "Tessera:ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, such as <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Ranges of trusted proxies in CIDR notation, such as <c>10.0.0.0/8</c>.</summary>
    public IList<string> KnownNetworks { get; } = [];

    public bool Enabled => Entries(KnownProxies).Any() || Entries(KnownNetworks).Any();

    public IEnumerable<IPAddress> Proxies() => Entries(KnownProxies).Select(IPAddress.Parse);

    public IEnumerable<IPNetwork> Networks() => Entries(KnownNetworks).Select(n => IPNetwork.Parse(n));

    /// <summary>True when every entry parses; the server refuses to start otherwise.</summary>
    public bool IsValid() =>
        Entries(KnownProxies).All(p => IPAddress.TryParse(p, out _))
        && Entries(KnownNetworks).All(n => IPNetwork.TryParse(n, out _));

    // A blank entry (an environment variable set to nothing) means no entry.
    private static IEnumerable<string> Entries(IList<string> list) =>
        list.Select(e => e.Trim()).Where(e => e.Length > 0);
}
