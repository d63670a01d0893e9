using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Tessera.OAuth.Authorization;

namespace Tessera.AspNetCore.Provider;

/// <summary>
/// Sends an authorization response to the client's verified redirect URI (RFC 6749 §4.1.2 and
/// §4.1.2.1), always with <c>iss</c> (RFC 9207 §2, so a client talking to several servers can tell
/// which one answered) and the client's <c>state</c>: in the query (the redirect URI's own query is
/// kept, RFC 6749 §3.1.2), or as a form the browser posts (<c>response_mode=form_post</c>).
/// </summary>
internal static class ClientRedirect
{
    public static IResult Code(HttpContext http, AuthorizationRequest request, string code, string issuer) =>
        Send(http, request.RedirectUri, request.ResponseMode, [new("code", code), new("state", request.State), new("iss", issuer)]);

    public static IResult Error(HttpContext http, AuthorizationRequest request, string error, string description, string issuer) =>
        Error(http, request.RedirectUri, request.ResponseMode, request.State, error, description, issuer);

    public static IResult Error(HttpContext http, string redirectUri, string responseMode, string? state, string error, string description, string issuer) =>
        Send(http, redirectUri, responseMode, [new("error", error), new("error_description", description), new("state", state), new("iss", issuer)]);

    private static IResult Send(HttpContext http, string redirectUri, string responseMode, KeyValuePair<string, string?>[] parameters)
    {
        KeyValuePair<string, string>[] present = [.. parameters.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string>(p.Key, p.Value!))];
        if (string.Equals(responseMode, ResponseModes.FormPost, StringComparison.Ordinal))
        {
            return ProviderPages.FormPost(redirectUri, present);
        }

        return new Redirect(QueryHelpers.AddQueryString(redirectUri, present!), http.Request.Method);
    }

    /// <summary>
    /// 302 after a GET; 303 after a POST, so the browser does not post the user's form (a password)
    /// on to the client (RFC 9700 §4.11). Never cached: the location may carry a code.
    /// </summary>
    internal sealed class Redirect(string location, string method) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.StatusCode = HttpMethods.IsPost(method) ? StatusCodes.Status303SeeOther : StatusCodes.Status302Found;
            httpContext.Response.Headers.Location = location;
            httpContext.Response.Headers.CacheControl = "no-store";
            httpContext.Response.Headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        }
    }
}
