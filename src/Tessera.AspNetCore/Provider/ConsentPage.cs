using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Tessera.OAuth;
using Tessera.OAuth.Authorization;
using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.AspNetCore.Provider;

/// <summary>
/// <c>GET</c> and <c>POST /oauth2/consent</c> (OIDC Core §3.1.2.4): the client's name and what its
/// scopes allow, in words; Allow remembers the consent (per user and client, the scopes added to
/// any earlier ones) and issues the code; Deny sends <c>access_denied</c> to the client. The
/// pending request is bound to the browser session that passed the sign-in checks, so the page
/// cannot be used to skip a sign-in the request demanded (<c>prompt=login</c>, <c>max_age</c>).
/// </summary>
internal static class ConsentPage
{
    public static async Task<IResult> ShowAsync(string? request, HttpContext http, [FromServices] ProviderServices provider, CancellationToken cancellationToken)
    {
        Step step = await ReadAsync(http, provider, request, cancellationToken).ConfigureAwait(false);
        if (step.Answer is { } answer)
        {
            return answer;
        }

        return ProviderPages.Consent(http.Request.PathBase, step.Client!.DisplayName, step.User!.Username, step.Request!.Scopes, request!, step.Request.RedirectUri);
    }

    public static async Task<IResult> SubmitAsync(HttpContext http, [FromServices] ProviderServices provider, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
        {
            return AuthorizationFlow.Expired(provider);
        }

        IFormCollection form = await http.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        string? requestValue = SignInPage.Single(form, "request");
        Step step = await ReadAsync(http, provider, requestValue, cancellationToken).ConfigureAwait(false);
        if (step.Answer is { } answer)
        {
            return answer;
        }

        AuthorizationRequest request = step.Request!;
        SessionRecord session = step.Session!;
        switch (SignInPage.Single(form, "decision"))
        {
            case "deny":
                ProviderLog.ConsentDenied(provider.Log, session.UserId, request.ClientId);
                return AuthorizationFlow.Refuse(http, provider, request, AuthorizationErrors.AccessDenied, "The user did not allow the request.");
            case "allow":
                Consent? remembered = await provider.Consents.FindAsync(session.UserId, request.ClientId, cancellationToken).ConfigureAwait(false);
                await provider.Consents.SaveAsync(ConsentRules.Grant(session.UserId, request, remembered, provider.Now), cancellationToken).ConfigureAwait(false);
                ProviderLog.ConsentGranted(provider.Log, session.UserId, request.ClientId);
                return await AuthorizationFlow.IssueAsync(http, provider, request, session, cancellationToken).ConfigureAwait(false);
            default:
                return ProviderPages.Consent(http.Request.PathBase, step.Client!.DisplayName, step.User!.Username, request.Scopes, requestValue!, request.RedirectUri);
        }
    }

    /// <summary>
    /// The pending request, its client, and the browser session it was bound to with its user; or the
    /// answer when one is missing: an error page, or back to sign-in when the browser's session is
    /// not the one that was checked (signed out, or signed in again meanwhile).
    /// </summary>
    private static async Task<Step> ReadAsync(HttpContext http, ProviderServices provider, string? value, CancellationToken cancellationToken)
    {
        if (provider.Pending.Unprotect(value) is not { } pending)
        {
            return new Step { Answer = AuthorizationFlow.Expired(provider) };
        }

        OAuthClient? client = await provider.Clients.FindAsync(pending.Request.ClientId, cancellationToken).ConfigureAwait(false);
        if (client is null)
        {
            return new Step { Answer = ProviderPages.Error("This page cannot be used", "The application is no longer registered.") };
        }

        SessionRecord? session = await AuthorizationFlow.BrowserSessionAsync(http).ConfigureAwait(false);
        UserRecord? user = session is null ? null : await provider.Users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        if (session is null || user is null || !string.Equals(session.Handle, pending.SessionHandle, StringComparison.Ordinal))
        {
            string restart = provider.Pending.Protect(pending.Request, sessionHandle: null);
            return new Step { Answer = new ClientRedirect.Redirect($"{http.Request.PathBase}{ProviderPaths.SignIn}?request={Uri.EscapeDataString(restart)}", http.Request.Method) };
        }

        return new Step { Request = pending.Request, Client = client, Session = session, User = user };
    }

    private sealed record Step
    {
        public IResult? Answer { get; init; }

        public AuthorizationRequest? Request { get; init; }

        public OAuthClient? Client { get; init; }

        public SessionRecord? Session { get; init; }

        public UserRecord? User { get; init; }
    }
}
