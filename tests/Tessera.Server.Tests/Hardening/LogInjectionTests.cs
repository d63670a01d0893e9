using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.Server.Tests.Hardening;

/// <summary>
/// Issue #14 finding 10: control characters from request headers reached the logs as they were,
/// so a client could forge log lines or send terminal escapes. Every header value logged is escaped.
/// The in-process server takes header values Kestrel would refuse (CR, LF), the worst case.
/// </summary>
public sealed class LogInjectionTests : IDisposable
{
    private const string Forged = "x\r\n12:00:00 info: Admin audit: forged line\u001b[31m\u202eevil\u0085";
    private const string Escaped = @"x\r\n12:00:00 info: Admin audit: forged line\u001b[31m\u202eevil\u0085";

    private readonly LogCapture _log = new();
    private readonly TestServerFactory _server;

    public LogInjectionTests() =>
        _server = new TestServerFactory(services: services => services.AddLogging(logging => logging.AddProvider(_log).AddFilter<LogCapture>(null, LogLevel.Trace)));

    public void Dispose() => _server.Dispose();

    private static void AssertNoRawControls(string entry)
    {
        Assert.DoesNotContain('\r', entry);
        Assert.DoesNotContain('\n', entry);
        Assert.DoesNotContain('\u001b', entry);
        Assert.DoesNotContain('\u202e', entry);
        Assert.DoesNotContain('\u0085', entry);
    }

    [Fact]
    public async Task AUserAgentWithLineBreaksIsEscapedInTheSuspiciousSessionLine()
    {
        TestServer server = _server.Server;

        await server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = "/auth/me";
            context.Request.Headers.Cookie = "__Host-tessera-session=" + new string('A', 43);
            context.Request.Headers.UserAgent = Forged;
        });

        string entry = Assert.Single(_log.Entries, e => e.Contains("Suspicious:", StringComparison.Ordinal));
        Assert.Contains(Escaped, entry, StringComparison.Ordinal);
        AssertNoRawControls(entry);
    }

    [Fact]
    public async Task AnOriginWithLineBreaksIsEscapedInTheCsrfLine()
    {
        TestServer server = _server.Server;

        HttpContext answer = await server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Post;
            context.Request.Path = "/auth/session";
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream("{}"u8.ToArray());
            context.Request.Headers.Origin = Forged;
            context.Request.Headers["Sec-Fetch-Site"] = "cross-site\r\nforged";
        });

        Assert.Equal(StatusCodes.Status403Forbidden, answer.Response.StatusCode);
        string entry = Assert.Single(_log.Entries, e => e.Contains("Cross-site POST", StringComparison.Ordinal));
        Assert.Contains(Escaped, entry, StringComparison.Ordinal);
        Assert.Contains(@"cross-site\r\nforged", entry, StringComparison.Ordinal);
        AssertNoRawControls(entry);
    }

    [Fact]
    public async Task ARefusedDuplicateCookieLineEscapesTheAgent()
    {
        TestServer server = _server.Server;

        await server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = "/auth/me";
            context.Request.Headers.Cookie = "__Host-tessera-at=a; __Host-tessera-at=b";
            context.Request.Headers.UserAgent = Forged;
        });

        string entry = Assert.Single(_log.Entries, e => e.Contains("came more than once", StringComparison.Ordinal));
        Assert.Contains(Escaped, entry, StringComparison.Ordinal);
        AssertNoRawControls(entry);
    }
}
