namespace Tessera.Cluster.Tests.Support;

/// <summary>One user signed in twice through the balancer: a browser with the session cookie, a phone with tokens.</summary>
public sealed class TwoDevices : IDisposable
{
    private TwoDevices(ClusterClient browser, ClusterClient phone)
    {
        Browser = browser;
        Phone = phone;
    }

    public ClusterClient Browser { get; }

    public ClusterClient Phone { get; }

    /// <summary>The browser's session cookie value.</summary>
    public string Cookie { get; private set; } = "";

    public string AccessToken { get; private set; } = "";

    public string RefreshToken { get; private set; } = "";

    /// <summary>Registers <paramref name="username"/>, signs the browser in (cookie) and the phone in (tokens).</summary>
    public static async Task<TwoDevices> SignInAsync(BalancedCluster cluster, string username)
    {
        var devices = new TwoDevices(cluster.Client(), cluster.Client());
        try
        {
            await devices.Browser.SignUpAndInAsync(username);
            devices.Cookie = devices.Browser.Cookie(ClusterHttp.SessionCookie)!;
            (devices.AccessToken, devices.RefreshToken) = await devices.Phone.TokenSignInAsync(username);
            return devices;
        }
        catch
        {
            devices.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Browser.Dispose();
        Phone.Dispose();
    }
}
