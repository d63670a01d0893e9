using System.Collections.Concurrent;
using System.Globalization;

namespace Tessera.Cluster.Tests.Support;

/// <summary>
/// Keeps cookies like a browser on a secure origin: stores what Set-Cookie says (deletions
/// included) and sends each cookie to the paths it was set for. HttpClient's own CookieContainer
/// never sends a Secure cookie over http, and the balancer here is plain http on loopback, which
/// browsers treat as a secure context.
/// </summary>
internal sealed class CookieJarHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly ConcurrentDictionary<string, (string Value, string Path)> _cookies = new(StringComparer.Ordinal);

    public string? this[string name] => _cookies.TryGetValue(name, out var cookie) ? cookie.Value : null;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string path = request.RequestUri?.AbsolutePath ?? "/";
        string[] matching = [.. _cookies.Where(c => path.StartsWith(c.Value.Path, StringComparison.Ordinal)).Select(c => $"{c.Key}={c.Value.Value}")];
        if (matching.Length > 0 && !request.Headers.Contains("Cookie"))
        {
            request.Headers.Add("Cookie", string.Join("; ", matching));
        }

        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? setCookies))
        {
            foreach (string setCookie in setCookies)
            {
                Remember(setCookie);
            }
        }

        return response;
    }

    private void Remember(string setCookie)
    {
        string[] parts = setCookie.Split(';', StringSplitOptions.TrimEntries);
        int equals = parts[0].IndexOf('=', StringComparison.Ordinal);
        string name = parts[0][..equals];
        string value = parts[0][(equals + 1)..];
        string path = "/";
        bool expired = value.Length == 0;
        foreach (string attribute in parts.Skip(1))
        {
            string[] pair = attribute.Split('=', 2);
            switch (pair[0].ToUpperInvariant())
            {
                case "PATH" when pair.Length == 2:
                    path = pair[1];
                    break;
                case "MAX-AGE" when pair.Length == 2:
                    expired |= int.Parse(pair[1], CultureInfo.InvariantCulture) <= 0;
                    break;
                case "EXPIRES" when pair.Length == 2:
                    expired |= DateTimeOffset.Parse(pair[1], CultureInfo.InvariantCulture) <= DateTimeOffset.UtcNow;
                    break;
            }
        }

        if (expired)
        {
            _cookies.TryRemove(name, out _);
        }
        else
        {
            _cookies[name] = (value, path);
        }
    }
}
