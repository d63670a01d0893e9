using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Tests.BreachedPasswords;

/// <summary>
/// A real HTTP server on 127.0.0.1 that answers <c>GET /range/{prefix}</c> as the Pwned Passwords
/// range API does (suffix:count lines, padding entries with count 0). The tests never reach the real
/// API. Requests are recorded so a test can check what left the client.
/// </summary>
internal sealed class RangeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, int> _counts;

    private RangeServer(WebApplication app, Dictionary<string, int> counts, Uri baseUrl)
    {
        _app = app;
        _counts = counts;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>Path and Add-Padding header of each request received.</summary>
    public ConcurrentQueue<(string Path, string Query, string? Padding)> Requests { get; } = new();

    /// <summary>When set, every request waits until the client gives up (a service that hangs).</summary>
    public bool Hang { get; set; }

    /// <summary>When set, every answer promises more bytes than it sends, then the connection drops.</summary>
    public bool CutShort { get; set; }

    /// <summary>
    /// Serves <paramref name="breached"/> with a positive count and <paramref name="padded"/> as
    /// padding (count 0), besides filler lines for the same prefix.
    /// </summary>
    public static async Task<RangeServer> StartAsync(string[] breached, string[]? padded = null)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string password in breached)
        {
            counts[Sha1(password)] = 42;
        }

        foreach (string password in padded ?? [])
        {
            counts[Sha1(password)] = 0;
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        WebApplication app = builder.Build();
        RangeServer? server = null;
        app.MapGet("/range/{prefix}", async (string prefix, HttpContext context) =>
        {
            server!.Requests.Enqueue((context.Request.Path.Value!, context.Request.QueryString.Value ?? "", context.Request.Headers["Add-Padding"].FirstOrDefault()));
            if (server.Hang)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }

            if (server.CutShort)
            {
                context.Response.ContentType = "text/plain";
                context.Response.ContentLength = 4096;
                await context.Response.WriteAsync("0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                // Let the headers and the first bytes reach the client before the connection drops.
                await Task.Delay(200, context.RequestAborted);
                context.Abort();
                return Results.Empty;
            }

            var body = new StringBuilder();
            // Filler lines first, as a real answer has hundreds of other suffixes for the prefix.
            for (int i = 0; i < 20; i++)
            {
                body.Append(Convert.ToHexString(RandomNumberGenerator.GetBytes(18))[..35]).Append(':').Append(i + 1).Append("\r\n");
            }

            foreach ((string hash, int count) in counts.Where(c => c.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                body.Append(hash[5..]).Append(':').Append(count).Append("\r\n");
            }

            return Results.Text(body.ToString(), "text/plain");
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new RangeServer(app, counts, new Uri(address + "/"));
        return server;
    }

    public static string Sha1(string password) =>
#pragma warning disable CA5350 // The range API's own hash.
        Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
#pragma warning restore CA5350

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
