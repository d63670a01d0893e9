using System.Text;
using System.Text.RegularExpressions;

namespace Tessera.Server.BrowserConsole;

/// <summary>
/// Tells the console what credential a request carried, which script cannot see for itself: the
/// size of the <c>Cookie</c> header (HttpOnly cookies included) and of <c>Authorization</c>, the
/// cookie names, and the names of the cookies the response sets. Sizes and names only, never a
/// value. Only requests that ask (<c>Tessera-Console: 1</c>) get the answer, in the
/// <c>Tessera-Credentials</c> response header.
/// </summary>
internal static partial class CredentialReport
{
    public const string RequestHeader = "Tessera-Console";
    public const string ResponseHeader = "Tessera-Credentials";

    public static IApplicationBuilder UseCredentialReport(this IApplicationBuilder app) => app.Use(static (context, next) =>
    {
        if (context.Request.Headers.ContainsKey(RequestHeader))
        {
            HttpRequest request = context.Request;
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[ResponseHeader] = Describe(request.Headers.Cookie.ToString(), request.Headers.Authorization.ToString(), request.Cookies.Keys, context.Response.Headers.SetCookie);
                return Task.CompletedTask;
            });
        }

        return next(context);
    });

    /// <summary><c>cookie-bytes=N, authorization-bytes=N, cookies="a b", set-cookies="c d"</c>.</summary>
    public static string Describe(string cookieHeader, string authorizationHeader, IEnumerable<string> cookieNames, IEnumerable<string?> setCookies)
    {
        IEnumerable<string> set = setCookies.Select(c => c is null ? string.Empty : c.Split('=', 2)[0].Trim());
        return $"cookie-bytes={Encoding.UTF8.GetByteCount(cookieHeader)}, authorization-bytes={Encoding.UTF8.GetByteCount(authorizationHeader)}, " +
            $"cookies=\"{Names(cookieNames)}\", set-cookies=\"{Names(set)}\"";
    }

    // Cookie names are RFC 6265 tokens; anything else (a client sending junk) is not echoed.
    private static string Names(IEnumerable<string> names) =>
        string.Join(' ', names.Where(n => CookieName().IsMatch(n)).Distinct(StringComparer.Ordinal));

    [GeneratedRegex("^[A-Za-z0-9_.\\-]{1,64}$")]
    private static partial Regex CookieName();
}
