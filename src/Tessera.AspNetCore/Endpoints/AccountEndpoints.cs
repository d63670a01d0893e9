using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.RateLimiting;
using Tessera.Sessions;
using Tessera.Telemetry;
using Tessera.Users;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>Registration, sign-in, sign-out and "who am I".</summary>
internal static class AccountEndpoints
{
    // Sign-in does not re-apply registration rules (they may have changed since an account was
    // made), but it will not feed megabytes to Argon2id either.
    private const int MaximumSignInPasswordLength = PasswordRules.MaximumLength * 4;

    public static async Task<IResult> RegisterAsync(CredentialsRequest? request, HttpContext http, UserRegistration registration, PasswordCheck passwordCheck, BreachedPasswords.BreachedPasswordCheck breached, SecurityEvents events, ILogger<AuthEndpointsLog> logger, CancellationToken cancellationToken)
    {
        Dictionary<string, string[]> errors = UserRegistration.Validate(request?.Username, request?.Password);
        if (errors.Count > 0)
        {
            return TesseraProblems.Validation(errors);
        }

        // "Is this name taken?" spends the name's sign-in budget, like a sign-in attempt would.
        if (await passwordCheck.TakeRegistrationPermitAsync(request!.Username!, cancellationToken).ConfigureAwait(false) is { } limited)
        {
            return limited.Problem(http.Response);
        }

        if (await breached.RefusalAsync("password", request.Password!, cancellationToken).ConfigureAwait(false) is { } breachedRefusal)
        {
            return breachedRefusal;
        }

        Outcome<UserRecord> registered = await registration.RegisterAsync(request!.Username, request.Password, cancellationToken).ConfigureAwait(false);
        if (!registered.Succeeded)
        {
            return TesseraProblems.From(registered.Error);
        }

        AuthEndpointsLog.Registered(logger, registered.Value.Id);
        await events.AccountCreatedAsync(registered.Value.Id, actorId: registered.Value.Id).ConfigureAwait(false);
        return TypedResults.Created((string?)null, UserResponse.From(registered.Value));
    }

    public static async Task<IResult> SignInAsync(
        CredentialsRequest? request,
        HttpContext http,
        PasswordCheck passwordCheck,
        SessionService sessions,
        IOptionsMonitor<SessionCookieOptions> cookieOptions,
        ILogger<AuthEndpointsLog> logger,
        CancellationToken cancellationToken)
    {
        (UserRecord? user, IResult? refused) = await CheckCredentialsAsync(request, http, passwordCheck, logger, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return refused!;
        }

        // No fixation: whatever session this client had ends, and it gets a brand-new one.
        if (http.GetTesseraSession() is { } previous && await sessions.RevokeAsync(previous, RevocationReasons.Replaced, cancellationToken).ConfigureAwait(false))
        {
            AuthEndpointsLog.Revoked(logger, previous.Handle, RevocationReasons.Replaced);
        }

        IssuedSession issued = await sessions.CreateAsync(user.Id, ClientInfo.From(http), cancellationToken).ConfigureAwait(false);
        SessionCookieOptions cookie = cookieOptions.Get(SessionCookieDefaults.AuthenticationScheme);
        // "Remember me" is the host's opt-in first, the user's choice second.
        TimeSpan? persistFor = cookie.RememberMe && request!.RememberMe == true ? issued.Session.AbsoluteExpiresAt - issued.Session.CreatedAt : null;
        if (!SessionCookies.TryWrite(http.Response, cookie, issued.Secret, persistFor))
        {
            // The start-up check makes this unreachable unless the options changed since: end the
            // session nobody can present rather than leave it in the device list.
            await sessions.RevokeAsync(issued.Session.Handle, TesseraErrorCodes.CookieTooLarge, cancellationToken).ConfigureAwait(false);
            return CookieBudget.TooLarge("The session cookie would not fit in the 4096 bytes a browser keeps; the server's cookie options need a shorter name.");
        }

        AuthEndpointsLog.SignedIn(logger, user.Id, issued.Session.Handle);
        return TypedResults.Ok(new SignedInResponse(UserResponse.From(user), SessionResponse.From(issued.Session, issued.Session.Handle)));
    }

    /// <summary>
    /// The checks every password sign-in shares (session or token mode): field validation, then
    /// <see cref="PasswordCheck"/> (the per-account limit, the password and lockout). The user, or the answer to send.
    /// </summary>
    internal static async Task<(UserRecord? User, IResult? Refused)> CheckCredentialsAsync(
        CredentialsRequest? request, HttpContext http, PasswordCheck passwordCheck, ILogger logger, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request?.Username))
        {
            errors["username"] = ["The username is required."];
        }

        if (string.IsNullOrEmpty(request?.Password))
        {
            errors["password"] = ["The password is required."];
        }
        else if (request.Password.Length > MaximumSignInPasswordLength)
        {
            errors["password"] = ["The password is too long."];
        }

        if (errors.Count > 0)
        {
            return (null, TesseraProblems.Validation(errors));
        }

        PasswordCheckResult checkedPassword = await passwordCheck.SignInAsync(http, request!.Username!, request.Password!, cancellationToken).ConfigureAwait(false);
        if (checkedPassword.User is null)
        {
            AuthEndpointsLog.SignInRefused(logger, checkedPassword.Error!.Code);
            return (null, checkedPassword.Problem(http.Response));
        }

        return (checkedPassword.User, null);
    }

    public static async Task<NoContent> SignOutAsync(HttpContext http, SessionService sessions, IOptionsMonitor<SessionCookieOptions> cookieOptions, ILogger<AuthEndpointsLog> logger, CancellationToken cancellationToken)
    {
        SessionRecord session = CurrentSession(http);
        if (await sessions.RevokeAsync(session, RevocationReasons.SignedOut, cancellationToken).ConfigureAwait(false))
        {
            AuthEndpointsLog.Revoked(logger, session.Handle, RevocationReasons.SignedOut);
        }

        SessionCookies.Clear(http.Response, cookieOptions.Get(SessionCookieDefaults.AuthenticationScheme));
        // Signed in with token cookies (delivery=cookie)? Those go too, and the browser clears the site's data.
        SignOutResponse.ClearBrowser(http);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> MeAsync(HttpContext http, IUserStore users, CancellationToken cancellationToken)
    {
        SessionRecord session = CurrentSession(http);
        UserRecord? user = await users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return TesseraProblems.Problem(StatusCodes.Status401Unauthorized, TesseraErrorCodes.Unauthenticated, "The account of this session no longer exists.");
        }

        return TypedResults.Ok(new SignedInResponse(UserResponse.From(user), SessionResponse.From(session, session.Handle)));
    }

    /// <summary>
    /// Changes the password (the current one is checked again) and ends every other session of the
    /// user, cookie and token alike: their refresh tokens stop working at once.
    /// </summary>
    public static async Task<IResult> ChangePasswordAsync(
        PasswordChangeRequest? request, HttpContext http, IUserStore users, PasswordCheck passwordCheck, Passwords.IPasswordHasher hasher, BreachedPasswords.BreachedPasswordCheck breached, SessionService sessions, SecurityEvents events,
        IOptionsMonitor<Passkeys.TesseraPasskeyOptions> passkeyOptions, TimeProvider time, ILogger<AuthEndpointsLog> logger, CancellationToken cancellationToken)
    {
        SessionRecord session = CurrentSession(http);
        UserRecord? user = await users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        // #16: a passwordless account has no current password to confirm; a recent passkey sign-in stands in for it.
        bool passwordless = user is { HasPassword: false };
        if (!passwordless && (string.IsNullOrEmpty(request?.CurrentPassword) || request.CurrentPassword.Length > MaximumSignInPasswordLength))
        {
            return TesseraProblems.Validation("currentPassword", "The current password is required.");
        }

        if (user is null || request is null)
        {
            return TesseraProblems.Problem(StatusCodes.Status401Unauthorized, TesseraErrorCodes.Unauthenticated, "The account of this session no longer exists.");
        }

        if (passwordless && !Passkeys.PasswordlessRules.IsRecentPasskeySignIn(session, Clock.Now(time), passkeyOptions.CurrentValue.RecentSignIn))
        {
            return TesseraProblems.Problem(StatusCodes.Status403Forbidden, TesseraErrorCodes.RecentPasskeySignInRequired,
                "This account has no password: sign in with a passkey again, then set a password within a few minutes.");
        }

        // The same rules as registration, the username among the words a password may not be built on.
        if (PasswordRules.Problem(request.NewPassword, user.Username) is { } problem)
        {
            return TesseraProblems.Validation("newPassword", problem);
        }

        if (await breached.RefusalAsync("newPassword", request.NewPassword!, cancellationToken).ConfigureAwait(false) is { } breachedRefusal)
        {
            return breachedRefusal;
        }

        // The sign-in limits, counters and lockout: a stolen session is no better a password oracle than the sign-in form.
        PasswordCheckResult confirmed = passwordless ? new PasswordCheckResult(user, null, null)
            : await passwordCheck.ConfirmAsync(http, user, request.CurrentPassword!, cancellationToken).ConfigureAwait(false);
        if (confirmed.User is null)
        {
            AuthEndpointsLog.SignInRefused(logger, confirmed.Error!.Code);
            return string.Equals(confirmed.Error.Code, TesseraErrorCodes.InvalidCredentials, StringComparison.Ordinal)
                ? TesseraProblems.Problem(StatusCodes.Status401Unauthorized, TesseraErrorCodes.InvalidCredentials, "The current password is wrong.")
                : confirmed.Problem(http.Response);
        }

        string newHash = await hasher.HashAsync(request.NewPassword!, cancellationToken).ConfigureAwait(false);
        await users.UpdatePasswordHashAsync(user.Id, newHash, cancellationToken).ConfigureAwait(false);
        await events.PasswordChangedAsync(user.Id, session.Handle).ConfigureAwait(false);
        int count = await sessions.RevokeAllAsync(user.Id, session.Handle, RevocationReasons.PasswordChanged, cancellationToken).ConfigureAwait(false);
        AuthEndpointsLog.RevokedMany(logger, user.Id, count, RevocationReasons.PasswordChanged);
        return TypedResults.Ok(new RevokedResponse(count));
    }

    /// <summary>The session of an endpoint that requires authorization; its absence is a wiring bug.</summary>
    internal static SessionRecord CurrentSession(HttpContext http) =>
        http.GetTesseraSession() ?? throw new InvalidOperationException("This endpoint requires an authenticated Tessera session.");
}
