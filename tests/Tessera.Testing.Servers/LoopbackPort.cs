using System.Net;
using System.Net.Sockets;

namespace Tessera.Testing.Servers;

/// <summary>Free TCP ports on 127.0.0.1, for servers that must be told their port up front.</summary>
public static class LoopbackPort
{
    /// <summary>
    /// A port the system just handed out and released. Another process could take it before the
    /// caller binds it; the system cycles through its ephemeral range, so that is rare in practice.
    /// </summary>
    public static int Free()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>
    /// Runs <paramref name="start"/> on a free port, and again on another one (up to five tries) when it
    /// fails with <see cref="InvalidOperationException"/>: someone may take the port between
    /// <see cref="Free"/> and the server binding it.
    /// </summary>
    internal static async Task<T> WithFreePortAsync<T>(Func<int, Task<T>> start)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await start(Free());
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
            }
        }
    }
}
