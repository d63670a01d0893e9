using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Csrf;
using Tessera.AspNetCore.Http;
using Tessera.OAuth;
using Tessera.OAuth.IdTokens;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Provider;

/// <summary>
/// <c>GET</c> and <c>POST /oauth2/logout</c>, the <c>end_session_endpoint</c> of OpenID Connect
/// RP-Initiated Logout 1.0. Ends the client's session named by a valid <c>id_token_hint</c>'s
/// <c>sid</c> (when it is that user's session of that client) and the browser's session cookie.
/// Without a valid hint for the browser's user, a browser session ends only once the user confirms
/// on a same-origin form (§2: a logout request can be forged like any other). The browser goes to
/// <c>post_logout_redirect_uri</c> only when it is registered for the client exactly (§3), with
/// <c>state</c>; otherwise it sees a "signed out" page.
/// </summary>
internal static class LogoutEndpoint
{
    private static readonly string[] Carried = ["id_token_hint", "client_id", "post_logout_redirect_uri", "state"];

    public static async Task<IResult> LogoutAsync(
        HttpContext http,
        [FromServices] ProviderServices provider,
        [FromServices] IdTokenHintValidator hints,
        [FromServices] IOptions<CsrfOptions> csrf,
        [FromServices] IOptionsMonitor<SessionCookieOptions> cookieOptions,
        CancellationToken cancellationToken)
    {
        IEnumerable<KeyValuePair<string, StringValues>> source;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            if (!http.Request.HasFormContentType)
            {
                return ProviderPages.Error("This sign-out request cannot be completed", "A sign-out request sent by POST must be a form.");
            }

            source = await http.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            source = http.Request.Query;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, StringValues values) in source)
        {
            if (values.Count > 1)
            {
                return ProviderPages.Error("This sign-out request cannot be completed", $"The parameter {name} is sent more than once.");
            }

            if (!string.IsNullOrEmpty(values[0]))
            {
                parameters[name] = values[0]!;
            }
        }

        IdTokenHint? hint = null;
        if (parameters.TryGetValue("id_token_hint", out string? hintText))
        {
            Outcome<IdTokenHint> validated = await hints.ValidateAsync(hintText, AuthorizationFlow.Issuer(http, provider), cancellationToken).ConfigureAwait(false);
            hint = validated.Succeeded ? validated.Value : null;
        }

        parameters.TryGetValue("client_id", out string? clientId);
        if (hint is not null && clientId is not null && !string.Equals(hint.ClientId, clientId, StringComparison.Ordinal))
        {
            return ProviderPages.Error("This sign-out request cannot be completed", "The id_token_hint was issued to another application than client_id names.");
        }

        clientId ??= hint?.ClientId;
        OAuthClient? client = clientId is null ? null : await provider.Clients.FindAsync(clientId, cancellationToken).ConfigureAwait(false);
        string? redirect = parameters.TryGetValue("post_logout_redirect_uri", out string? requested) && client is not null
            && client.PostLogoutRedirectUris.Contains(requested, StringComparer.Ordinal)
            ? requested
            : null;

        SessionRecord? browser = await AuthorizationFlow.BrowserSessionAsync(http).ConfigureAwait(false);
        bool hintNamesBrowserUser = hint is not null && (browser is null || string.Equals(browser.UserId, hint.Subject, StringComparison.Ordinal));
        bool confirmed = HttpMethods.IsPost(http.Request.Method)
            && parameters.TryGetValue("confirm", out string? confirm) && string.Equals(confirm, "yes", StringComparison.Ordinal)
            && CsrfCheck.IsAllowed(http.Request, csrf.Value);
        if (browser is not null && !hintNamesBrowserUser && !confirmed)
        {
            return ProviderPages.LogoutConfirmation(http.Request.PathBase,
                [.. Carried.Where(parameters.ContainsKey).Select(name => new KeyValuePair<string, string>(name, parameters[name]))]);
        }

        // The client's own session: the one the hint's sid names, if it is that user's session of that client.
        if (hint?.SessionId is { } sid)
        {
            SessionRecord? named = await provider.Sessions.FindByHandleAsync(sid, hint.Subject, SessionKinds.Token, cancellationToken).ConfigureAwait(false);
            if (named is not null && string.Equals(named.ClientId, hint.ClientId, StringComparison.Ordinal)
                && await provider.Sessions.RevokeAsync(named.Handle, RevocationReasons.LoggedOutByClient, cancellationToken).ConfigureAwait(false))
            {
                ProviderLog.LoggedOut(provider.Log, named.Handle);
            }
        }

        if (browser is not null)
        {
            if (await provider.Sessions.RevokeAsync(browser.Handle, RevocationReasons.SignedOut, cancellationToken).ConfigureAwait(false))
            {
                ProviderLog.LoggedOut(provider.Log, browser.Handle);
            }

            SessionCookies.Clear(http.Response, cookieOptions.Get(SessionCookieDefaults.AuthenticationScheme));
            SignOutResponse.ClearBrowser(http);
        }

        if (redirect is null)
        {
            return ProviderPages.SignedOut();
        }

        string location = parameters.TryGetValue("state", out string? state) ? QueryHelpers.AddQueryString(redirect, "state", state) : redirect;
        return new ClientRedirect.Redirect(location, http.Request.Method);
    }
}
