using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace Tessera.LoadBench;

/// <summary>
/// The clients the memory measurement signs in: real User-Agent headers of current browsers (Chrome,
/// Edge, Firefox, Safari, Samsung Internet on Windows, macOS, Linux, ChromeOS, Android, iOS and
/// iPadOS), assigned round-robin, and client addresses of which one in three is IPv6, as the server
/// stores them (<see cref="IPAddress.ToString"/>, documentation ranges: RFC 5737, RFC 3849). Every
/// string is built anew per session, as a request's header would be, so nothing is shared by accident.
/// </summary>
public static class SessionMemoryClients
{
    /// <summary>Sessions per user: a laptop and a phone. User ids are 128-bit base64url, as <c>UserRegistration</c> makes them.</summary>
    public const int SessionsPerUser = 2;

    /// <summary>What the sessions carry, for the result's method column.</summary>
    public static string Description => $"{UserAgents.Count} real browser user agents round-robin, one address in three IPv6, {SessionsPerUser} sessions per user";

    /// <summary>Real User-Agent headers (the reduced form Chromium has sent since version 110).</summary>
    public static IReadOnlyList<string> UserAgents { get; } =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:145.0) Gecko/20100101 Firefox/145.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0",
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/29.0 Chrome/136.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Android 15; Mobile; rv:145.0) Gecko/145.0 Firefox/145.0",
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36 EdgA/142.0.0.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/142.0.7444.128 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/145.0 Mobile/15E148 Safari/605.1.15",
        "Mozilla/5.0 (iPad; CPU OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1",
    ];

    /// <summary>Session <paramref name="i"/>'s user agent, a fresh copy of the round-robin entry.</summary>
    public static string UserAgent(int i) => new(UserAgents[i % UserAgents.Count].AsSpan());

    /// <summary>Session <paramref name="i"/>'s address: IPv6 (2001:db8::/32) for one in three, else IPv4 (198.51.100.0/24, 203.0.113.0/24).</summary>
    public static string ClientIp(int i)
    {
        if (i % 3 == 2)
        {
            Span<byte> address = stackalloc byte[16];
            RandomNumberGenerator.Fill(address);
            address[0] = 0x20;
            address[1] = 0x01;
            address[2] = 0x0d;
            address[3] = 0xb8;
            return new IPAddress(address).ToString();
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(i % 2 == 0 ? "198.51.100" : "203.0.113")}.{1 + (i % 254)}");
    }

    /// <summary>The user ids of <paramref name="count"/> sessions, <see cref="SessionsPerUser"/> sessions each.</summary>
    public static string[] UserIds(int count) =>
        [.. Enumerable.Range(0, (count + SessionsPerUser - 1) / SessionsPerUser).Select(_ => RandomIds.New128())];
}
