using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Tokens;
using Tessera.OAuth;
using Tessera.OAuth.Authorization;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Provider;

/// <summary>
/// The steps after a request is known to be valid, shared by the authorization endpoint and the
/// sign-in page: sign in when there is no usable browser session (OIDC Core §3.1.2.3), ask for
/// consent when it is needed (§3.1.2.4), then issue the code (RFC 6749 §4.1.2). With
/// <c>prompt=none</c> a page that would be needed is an error sent to the client instead (§3.1.2.6).
/// </summary>
internal static class AuthorizationFlow
{
    /// <summary>
    /// The browser's Tessera session: the session cookie only, checked by its own scheme whatever
    /// else the request carries (a bearer token is not a browser sign-in). Null when there is none.
    /// </summary>
    public static async Task<SessionRecord?> BrowserSessionAsync(HttpContext http)
    {
        AuthenticateResult result = await http.AuthenticateAsync(SessionCookieDefaults.AuthenticationScheme).ConfigureAwait(false);
        return result.Succeeded && http.GetTesseraSession() is { } session && string.Equals(session.Kind, SessionKinds.Cookie, StringComparison.Ordinal)
            ? session
            : null;
    }

    /// <summary>The issuer named in every response (RFC 9207).</summary>
    public static string Issuer(HttpContext http, ProviderServices provider) => TokenIssuer.For(http.Request, provider.TokenOptions);

    /// <summary>
    /// Goes on with <paramref name="request"/> for the browser's <paramref name="session"/>.
    /// <paramref name="justSignedIn"/>: the session was created by the sign-in this request completed,
    /// so <c>prompt=login</c> and <c>max_age</c> are satisfied whatever they say.
    /// </summary>
    public static async Task<IResult> ContinueAsync(HttpContext http, ProviderServices provider, OAuthClient client, AuthorizationRequest request, SessionRecord? session, bool justSignedIn, CancellationToken cancellationToken)
    {
        if (session is null || (!justSignedIn && MustSignInAgain(request, session, provider.Now)))
        {
            if (request.HasPrompt(Prompts.None))
            {
                return Refuse(http, provider, request, AuthorizationErrors.LoginRequired,
                    session is null ? "The user is not signed in." : "The user must sign in again (max_age).");
            }

            return ToPage(http, ProviderPaths.SignIn, provider.Pending.Protect(request, sessionHandle: null));
        }

        Consent? remembered = await provider.Consents.FindAsync(session.UserId, client.ClientId, cancellationToken).ConfigureAwait(false);
        if (ConsentRules.IsNeeded(client, request, remembered))
        {
            if (request.HasPrompt(Prompts.None))
            {
                return Refuse(http, provider, request, AuthorizationErrors.ConsentRequired, "The user has not allowed this application these scopes.");
            }

            return ToPage(http, ProviderPaths.Consent, provider.Pending.Protect(request, session.Handle));
        }

        return await IssueAsync(http, provider, request, session, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Issues the code and sends it to the client.</summary>
    public static async Task<IResult> IssueAsync(HttpContext http, ProviderServices provider, AuthorizationRequest request, SessionRecord session, CancellationToken cancellationToken)
    {
        string code = await provider.Codes.IssueAsync(request, session, cancellationToken).ConfigureAwait(false);
        ProviderLog.CodeIssued(provider.Log, request.ClientId, session.UserId);
        return ClientRedirect.Code(http, request, code, Issuer(http, provider));
    }

    /// <summary>An error sent to the client's verified redirect URI.</summary>
    public static IResult Refuse(HttpContext http, ProviderServices provider, AuthorizationRequest request, string error, string description)
    {
        ProviderLog.RefusedToClient(provider.Log, request.ClientId, error);
        return ClientRedirect.Error(http, request, error, description, Issuer(http, provider));
    }

    /// <summary>The page for a pending request that could not be read: changed, from another server, or expired.</summary>
    public static IResult Expired(ProviderServices provider)
    {
        ProviderLog.PendingRefused(provider.Log);
        return ProviderPages.Error("This sign-in page has expired", "Go back to the application and start signing in again.");
    }

    /// <summary>
    /// OIDC Core §3.1.2.1: <c>prompt=login</c> (and <c>select_account</c>, one account per browser)
    /// asks for a new sign-in; <c>max_age</c> does when the last one is older (0: always).
    /// </summary>
    private static bool MustSignInAgain(AuthorizationRequest request, SessionRecord session, DateTimeOffset now) =>
        request.HasPrompt(Prompts.Login) || request.HasPrompt(Prompts.SelectAccount) || request.MaxAge == 0
        || request.IsTooOld(AuthorizationCodeIssuer.AuthenticatedAt(session), now);

    private static ClientRedirect.Redirect ToPage(HttpContext http, string path, string pending) =>
        new($"{http.Request.PathBase}{path}?request={Uri.EscapeDataString(pending)}", http.Request.Method);
}
