namespace Tessera.Sessions;

/// <summary>
/// Names the browser and system behind a User-Agent header (RFC 9110 §10.1.5) for the device list:
/// "Firefox on Windows", "Safari on iOS", "curl". A label for people, never a security decision
/// (the header is whatever the client says). Unknown agents give null.
/// </summary>
public static class DeviceNames
{
    // First match wins, so the order is the point: Edge, Opera and Samsung Internet also say
    // "Chrome/", every Chromium browser also says "Safari/", and the iOS browsers (all WebKit)
    // carry their own token instead of "Chrome/" or "Firefox/".
    private static readonly (string Token, string Name)[] Browsers =
    [
        ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"),
        ("OPR/", "Opera"), ("OPT/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Vivaldi/", "Vivaldi"),
        ("YaBrowser/", "Yandex Browser"),
        ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"),
        // Safari alone says "Version/x" before "Safari/"; an in-app web view on iOS does not.
        ("Version/", "Safari"),
    ];

    // iPhones say "like Mac OS X" and Android says "Linux": the more specific token comes first.
    private static readonly (string Token, string Name)[] Systems =
    [
        ("iPhone", "iOS"), ("iPod", "iOS"), ("iPad", "iPadOS"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Windows", "Windows"),
        ("Macintosh", "macOS"), ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ];

    // Command-line and library clients: their product token opens the header.
    private static readonly (string Prefix, string Name)[] Tools =
    [
        ("curl/", "curl"), ("Wget/", "Wget"), ("HTTPie/", "HTTPie"), ("PostmanRuntime/", "Postman"),
        ("python-requests/", "Python requests"), ("python-httpx/", "Python httpx"), ("Go-http-client/", "Go"), ("okhttp/", "OkHttp"),
    ];

    /// <summary>"Browser on System", the browser alone when the system is unknown, a tool's name, or null.</summary>
    public static string? Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return null;
        }

        foreach ((string prefix, string name) in Tools)
        {
            if (userAgent.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        string? browser = First(Browsers, userAgent);
        if (browser is null || !userAgent.StartsWith("Mozilla/", StringComparison.Ordinal))
        {
            return null;
        }

        return First(Systems, userAgent) is { } system ? $"{browser} on {system}" : browser;
    }

    private static string? First((string Token, string Name)[] table, string userAgent)
    {
        foreach ((string token, string name) in table)
        {
            if (userAgent.Contains(token, StringComparison.Ordinal))
            {
                return name;
            }
        }

        return null;
    }
}
