using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tessera.AspNetCore.Http;

/// <summary>
/// The size a browser is sure to keep. RFC 6265 §6.1 asks user agents for at least 4096 bytes per
/// cookie, "as measured by the sum of the length of the cookie's name, value, and attributes";
/// past that a browser may drop the cookie without a word, and the client is signed in on the
/// server but never presents its credential. Tessera refuses such a Set-Cookie instead: at start-up
/// where the size is known from the options, and where a cookie is written where it is not (an
/// access token grows with its claims).
/// </summary>
public static partial class CookieBudget
{
    /// <summary>The bytes a browser keeps for one cookie, name and attributes included (RFC 6265 §6.1).</summary>
    public const int MaximumBytes = 4096;

    /// <summary>
    /// The bytes of the Set-Cookie value (name, value and attributes) the response would carry.
    /// The value is escaped as <see cref="IResponseCookies.Append(string, string, CookieOptions)"/> escapes it.
    /// </summary>
    public static int SizeOf(string name, string value, CookieOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Encoding.UTF8.GetByteCount(options.CreateCookieHeader(name, Uri.EscapeDataString(value)).ToString());
    }

    /// <summary>
    /// Appends every cookie, or none when one of them would pass <see cref="MaximumBytes"/>: then
    /// the refusal is logged (the cookie's name and size, never its value) and the answer is false.
    /// </summary>
    public static bool TryAppend(HttpResponse response, params ReadOnlySpan<(string Name, string Value, CookieOptions Options)> cookies)
    {
        ArgumentNullException.ThrowIfNull(response);
        foreach ((string name, string value, CookieOptions options) in cookies)
        {
            int size = SizeOf(name, value, options);
            if (size > MaximumBytes)
            {
                ILoggerFactory loggers = response.HttpContext.RequestServices?.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
                Refused(loggers.CreateLogger(typeof(CookieBudget).FullName!), name, size, MaximumBytes);
                return false;
            }
        }

        foreach ((string name, string value, CookieOptions options) in cookies)
        {
            response.Cookies.Append(name, value, options);
        }

        return true;
    }

    /// <summary>
    /// 422 <c>cookie_too_large</c>: the request was understood, but its answer cannot be delivered
    /// as a cookie (and was not).
    /// </summary>
    public static ProblemHttpResult TooLarge(string detail) =>
        TesseraProblems.Problem(TesseraProblems.StatusFor(TesseraErrorCodes.CookieTooLarge), TesseraErrorCodes.CookieTooLarge, detail);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Error, Message = "Cookie {Name} not sent: {Size} bytes with its attributes, more than the {Maximum} a browser is sure to keep (RFC 6265 §6.1)")]
    private static partial void Refused(ILogger logger, string name, int size, int maximum);
}
