using System.Net;
using System.Net.Sockets;

namespace Tessera.Testing.Servers;

/// <summary>A loopback TCP port nobody listens on right now (the server started next may still lose a race for it: callers retry).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
