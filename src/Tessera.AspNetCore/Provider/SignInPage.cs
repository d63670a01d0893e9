using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.Passkeys;
using Tessera.AspNetCore.RateLimiting;
using Tessera.OAuth;
using Tessera.OAuth.Authorization;
using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.AspNetCore.Provider;

/// <summary>
/// <c>GET</c> and <c>POST /oauth2/signin</c>: the password sign-in of the provider. The same checks as
/// <c>POST /auth/session</c> (<see cref="PasswordCheck"/>: the per-account limit, the lockout per
/// account and client; the endpoint carries the sign-in rate limit and the CSRF check), and the same result: a session
/// cookie, which is the browser's single sign-on session for every later authorization request.
/// </summary>
internal static class SignInPage
{
    private const int MaximumPasswordLength = PasswordRules.MaximumLength * 4;
    private const string PageTitle = "This sign-in page cannot be used";

    public static async Task<IResult> ShowAsync(string? request, HttpContext http, [FromServices] ProviderServices provider, [FromServices] PasskeyCeremonies passkeys, CancellationToken cancellationToken)
    {
        if (provider.Pending.Unprotect(request) is not { } pending)
        {
            return AuthorizationFlow.Expired(provider);
        }

        OAuthClient? client = await provider.Clients.FindAsync(pending.Request.ClientId, cancellationToken).ConfigureAwait(false);
        if (client is null)
        {
            return ProviderPages.Error(PageTitle, "The application is no longer registered.");
        }

        return ProviderPages.SignIn(http.Request.PathBase, client.DisplayName, request!, pending.Request.LoginHint, null, ProviderPages.Field.None, pending.Request.RedirectUri,
            passkey: passkeys.AssertionOptions(http.Request));
    }

    public static async Task<IResult> SubmitAsync(
        HttpContext http,
        [FromServices] ProviderServices provider,
        [FromServices] PasswordCheck passwordCheck,
        [FromServices] IOptionsMonitor<SessionCookieOptions> cookieOptions,
        [FromServices] PasskeyCeremonies passkeys,
        CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
        {
            return AuthorizationFlow.Expired(provider);
        }

        IFormCollection form = await http.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        string? requestValue = Single(form, "request");
        if (provider.Pending.Unprotect(requestValue) is not { } pending)
        {
            return AuthorizationFlow.Expired(provider);
        }

        AuthorizationRequest request = pending.Request;
        OAuthClient? client = await provider.Clients.FindAsync(request.ClientId, cancellationToken).ConfigureAwait(false);
        if (client is null)
        {
            return ProviderPages.Error(PageTitle, "The application is no longer registered.");
        }

        string? username = Single(form, "username");
        string? password = Single(form, "password");
        // Every page shown again carries fresh passkey options: a state serves once.
        IResult Again(string error, ProviderPages.Field field, int status) =>
            ProviderPages.SignIn(http.Request.PathBase, client.DisplayName, requestValue!, username, error, field, request.RedirectUri, status, passkeys.AssertionOptions(http.Request));

        // #16: "Sign in with a passkey" posts the assertion (credential.toJSON()) and its state instead of a password.
        if (Single(form, "passkey_credential") is { } passkeyCredential)
        {
            return await PasskeySignInAsync(http, provider, passkeys, cookieOptions, client, request, Single(form, "passkey_state"), passkeyCredential, Again, cancellationToken).ConfigureAwait(false);
        }

        if (string.IsNullOrWhiteSpace(username))
        {
            return Again("Enter your username.", ProviderPages.Field.Username, StatusCodes.Status400BadRequest);
        }

        if (string.IsNullOrEmpty(password) || password.Length > MaximumPasswordLength)
        {
            return Again(string.IsNullOrEmpty(password) ? "Enter your password." : "The password is too long.", ProviderPages.Field.Password, StatusCodes.Status400BadRequest);
        }

        PasswordCheckResult signedIn = await passwordCheck.SignInAsync(http, username, password, cancellationToken).ConfigureAwait(false);
        if (signedIn.User is not { } user)
        {
            ProviderLog.SignInRefused(provider.Log, signedIn.Error!.Code);
            if (signedIn.IsRateLimited)
            {
                TesseraRateLimiting.SetRetryAfter(http.Response, signedIn.RetryAfter);
                return Again("Too many attempts for this account. Wait a little and try again.", ProviderPages.Field.None, StatusCodes.Status429TooManyRequests);
            }

            // account_locked: the lockout's wait (when it is revealed) or an administrator's lock.
            TesseraRateLimiting.SetRetryAfter(http.Response, signedIn.RetryAfter);
            return signedIn.Error.Code switch
            {
                TesseraErrorCodes.AccountDisabled => Again("This account is disabled. Ask an administrator to enable it.", ProviderPages.Field.None, StatusCodes.Status403Forbidden),
                TesseraErrorCodes.AccountLocked => Again("This account is locked for now. Wait a while, or ask an administrator.", ProviderPages.Field.None, StatusCodes.Status423Locked),
                _ => Again("The username or password is wrong.", ProviderPages.Field.None, StatusCodes.Status400BadRequest),
            };
        }

        // No fixation: whatever session this browser had ends, and it gets a brand-new one.
        if (await AuthorizationFlow.BrowserSessionAsync(http).ConfigureAwait(false) is { } previous)
        {
            await provider.Sessions.RevokeAsync(previous.Handle, RevocationReasons.Replaced, cancellationToken).ConfigureAwait(false);
        }

        IssuedSession issued = await provider.Sessions.CreateAsync(user.Id, ClientInfo.From(http), cancellationToken).ConfigureAwait(false);
        if (!SessionCookies.TryWrite(http.Response, cookieOptions.Get(SessionCookieDefaults.AuthenticationScheme), issued.Secret))
        {
            await provider.Sessions.RevokeAsync(issued.Session.Handle, TesseraErrorCodes.CookieTooLarge, cancellationToken).ConfigureAwait(false);
            return ProviderPages.Error("Signing in is not possible", "The server's cookie settings make the session cookie too large for a browser.", StatusCodes.Status500InternalServerError);
        }

        ProviderLog.SignedIn(provider.Log, user.Id, issued.Session.Handle);
        return await AuthorizationFlow.ContinueAsync(http, provider, client, request, issued.Session, justSignedIn: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The passkey half of the page: the assertion is checked as at <c>POST /auth/session/passkey</c>
    /// (<see cref="PasskeyCeremonies.SignInAsync"/>: single-use state, origin, RP id, UV, counter,
    /// the account's standing; audited), then the browser gets a new session recording the passkey
    /// (<c>amr</c>) and the authorization continues exactly as after a password.
    /// </summary>
    private static async Task<IResult> PasskeySignInAsync(
        HttpContext http, ProviderServices provider, PasskeyCeremonies passkeys, IOptionsMonitor<SessionCookieOptions> cookieOptions, OAuthClient client,
        AuthorizationRequest request, string? state, string credentialJson, Func<string, ProviderPages.Field, int, IResult> again, CancellationToken cancellationToken)
    {
        JsonElement credential;
        try
        {
            using JsonDocument document = JsonDocument.Parse(credentialJson, new JsonDocumentOptions { MaxDepth = 16 });
            credential = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            credential = default;
        }

        PasskeySignInResult signedIn = credential.ValueKind == JsonValueKind.Object
            ? await passkeys.SignInAsync(http.Request, state, credential, cancellationToken).ConfigureAwait(false)
            : new PasskeySignInResult(null, null, new TesseraError(TesseraErrorCodes.PasskeyInvalid, "Not a passkey response."), null, null);
        if (signedIn.User is not { } user)
        {
            ProviderLog.SignInRefused(provider.Log, signedIn.Error!.Code);
            TesseraRateLimiting.SetRetryAfter(http.Response, signedIn.RetryAfter);
            return signedIn.Error.Code switch
            {
                TesseraErrorCodes.AccountDisabled => again("This account is disabled. Ask an administrator to enable it.", ProviderPages.Field.None, StatusCodes.Status403Forbidden),
                TesseraErrorCodes.AccountLocked => again("This account is locked for now. Wait a while, or ask an administrator.", ProviderPages.Field.None, StatusCodes.Status423Locked),
                _ => again("The passkey could not be verified. Try again, or use your password.", ProviderPages.Field.None, StatusCodes.Status400BadRequest),
            };
        }

        if (await AuthorizationFlow.BrowserSessionAsync(http).ConfigureAwait(false) is { } previous)
        {
            await provider.Sessions.RevokeAsync(previous.Handle, RevocationReasons.Replaced, cancellationToken).ConfigureAwait(false);
        }

        SessionStart start = new(AuthenticationMethodValues.Passkey(signedIn.Passkey!.BackupEligible));
        var lifetime = new SessionLifetime(provider.Sessions.Options.IdleTimeout, provider.Sessions.Options.AbsoluteTimeout);
        IssuedSession issued = await provider.Sessions.CreateAsync(user.Id, ClientInfo.From(http), SessionKinds.Cookie, lifetime, grant: null, handle: null, start, cancellationToken).ConfigureAwait(false);
        if (!SessionCookies.TryWrite(http.Response, cookieOptions.Get(SessionCookieDefaults.AuthenticationScheme), issued.Secret))
        {
            await provider.Sessions.RevokeAsync(issued.Session.Handle, TesseraErrorCodes.CookieTooLarge, cancellationToken).ConfigureAwait(false);
            return ProviderPages.Error("Signing in is not possible", "The server's cookie settings make the session cookie too large for a browser.", StatusCodes.Status500InternalServerError);
        }

        ProviderLog.SignedIn(provider.Log, user.Id, issued.Session.Handle);
        return await AuthorizationFlow.ContinueAsync(http, provider, client, request, issued.Session, justSignedIn: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The field's one value; null when absent, empty or repeated.</summary>
    internal static string? Single(IFormCollection form, string name) =>
        form.TryGetValue(name, out Microsoft.Extensions.Primitives.StringValues values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
