using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.Dpop;
using Tessera.AspNetCore.Tokens;
using Tessera.Passkeys;
using Tessera.Sessions;
using Tessera.Telemetry;
using Tessera.Tokens;
using Tessera.Users;

namespace Tessera.AspNetCore.Passkeys;

/// <summary>
/// The passkey endpoints under <c>/auth</c> (docs/passkeys.md): a signed-in user registers, lists,
/// renames and removes passkeys; anyone signs in with one, for a cookie session or tokens, with the
/// same answer as the password sign-in.
/// </summary>
internal static class PasskeyEndpoints
{
    public static async Task<IResult> RegistrationOptionsAsync(HttpContext http, IUserStore users, PasskeyCeremonies ceremonies, CancellationToken cancellationToken)
    {
        if (await CurrentUserAsync(http, users, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return AccountGone();
        }

        return TypedResults.Ok(await ceremonies.RegistrationOptionsAsync(http.Request, user, cancellationToken).ConfigureAwait(false));
    }

    public static async Task<IResult> RegisterAsync(PasskeyRegistrationRequest? request, HttpContext http, IUserStore users, PasskeyCeremonies ceremonies, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(request?.State))
        {
            errors["state"] = ["The state of the registration options is required."];
        }

        if (request?.Credential.ValueKind != JsonValueKind.Object)
        {
            errors["credential"] = ["The credential (credential.toJSON()) is required."];
        }

        string? name = request?.Name is null ? null : NormalizeName(request.Name);
        if (request?.Name is not null && name is null)
        {
            errors["name"] = [NameProblem];
        }

        if (errors.Count > 0)
        {
            return TesseraProblems.Validation(errors);
        }

        if (await CurrentUserAsync(http, users, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return AccountGone();
        }

        name ??= "Passkey " + Clock.Now(time).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Outcome<PasskeyCredential> registered = await ceremonies.RegisterAsync(http.Request, user, request!.State, request.Credential, name, cancellationToken).ConfigureAwait(false);
        return registered.Succeeded
            ? TypedResults.Created((string?)null, PasskeyResponse.From(registered.Value))
            : TesseraProblems.From(registered.Error);
    }

    public static async Task<IResult> ListAsync(HttpContext http, IPasskeyStore store, CancellationToken cancellationToken)
    {
        SessionRecord session = AccountEndpoints.CurrentSession(http);
        IReadOnlyList<PasskeyCredential> passkeys = await store.ListAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new PasskeyListResponse([.. passkeys.Select(PasskeyResponse.From)]));
    }

    public static async Task<IResult> RenameAsync(string id, PasskeyRenameRequest? request, HttpContext http, IPasskeyStore store, ILogger<PasskeyCeremonies> logger, CancellationToken cancellationToken)
    {
        SessionRecord session = AccountEndpoints.CurrentSession(http);
        if (NormalizeName(request?.Name) is not { } name)
        {
            return TesseraProblems.Validation("name", NameProblem);
        }

        if (!await store.RenameAsync(session.UserId, id, name, cancellationToken).ConfigureAwait(false)
            || await store.FindAsync(id, cancellationToken).ConfigureAwait(false) is not { } renamed || !string.Equals(renamed.UserId, session.UserId, StringComparison.Ordinal))
        {
            return NotFound();
        }

        PasskeyLog.Renamed(logger, session.UserId, id);
        return TypedResults.Ok(PasskeyResponse.From(renamed));
    }

    public static async Task<IResult> DeleteAsync(string id, HttpContext http, IUserStore users, IPasskeyStore store, SecurityEvents events, ILogger<PasskeyCeremonies> logger, CancellationToken cancellationToken)
    {
        SessionRecord session = AccountEndpoints.CurrentSession(http);
        if (await users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return AccountGone();
        }

        IReadOnlyList<PasskeyCredential> passkeys = await store.ListAsync(user.Id, cancellationToken).ConfigureAwait(false);
        if (!passkeys.Any(p => string.Equals(p.CredentialId, id, StringComparison.Ordinal)))
        {
            return NotFound();
        }

        // A passwordless account keeps at least one way in.
        if (!user.HasPassword && passkeys.Count <= 1)
        {
            return TesseraProblems.Problem(StatusCodes.Status409Conflict, TesseraErrorCodes.LastPasskey,
                "This is the last passkey of an account without a password: set a password or add another passkey first.");
        }

        if (!await store.DeleteAsync(user.Id, id, cancellationToken).ConfigureAwait(false))
        {
            return NotFound();
        }

        PasskeyLog.Removed(logger, user.Id, id, user.Id);
        await events.PasskeyEventAsync(PasskeyAuditEventTypes.Removed, user.Id, user.Id, id, session.Handle).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    public static IResult AssertionOptions(HttpContext http, PasskeyCeremonies ceremonies) =>
        TypedResults.Ok(ceremonies.AssertionOptions(http.Request));

    /// <summary>A passkey sign-in for a session cookie: what <c>POST /auth/session</c> answers.</summary>
    public static async Task<IResult> SessionSignInAsync(
        PasskeySignInRequest? request, HttpContext http, PasskeyCeremonies ceremonies, SessionService sessions,
        IOptionsMonitor<SessionCookieOptions> cookieOptions, ILogger<PasskeyCeremonies> logger, CancellationToken cancellationToken)
    {
        (PasskeySignInResult? signedIn, IResult? refused) = await CheckAsync(request, http, ceremonies, cancellationToken).ConfigureAwait(false);
        if (signedIn is null)
        {
            return refused!;
        }

        // No fixation: whatever session this client had ends, and it gets a brand-new one.
        if (http.GetTesseraSession() is { } previous)
        {
            await sessions.RevokeAsync(previous, RevocationReasons.Replaced, cancellationToken).ConfigureAwait(false);
        }

        UserRecord user = signedIn.User!;
        SessionStart start = new(AuthenticationMethodValues.Passkey(signedIn.Passkey!.BackupEligible));
        IssuedSession issued = await sessions.CreateAsync(user.Id, ClientInfo.From(http), SessionKinds.Cookie, new SessionLifetime(sessions.Options.IdleTimeout, sessions.Options.AbsoluteTimeout), grant: null, handle: null, start, cancellationToken).ConfigureAwait(false);
        SessionCookieOptions cookie = cookieOptions.Get(SessionCookieDefaults.AuthenticationScheme);
        TimeSpan? persistFor = cookie.RememberMe && request!.RememberMe == true ? issued.Session.AbsoluteExpiresAt - issued.Session.CreatedAt : null;
        if (!SessionCookies.TryWrite(http.Response, cookie, issued.Secret, persistFor))
        {
            await sessions.RevokeAsync(issued.Session.Handle, TesseraErrorCodes.CookieTooLarge, cancellationToken).ConfigureAwait(false);
            return CookieBudget.TooLarge("The session cookie would not fit in the 4096 bytes a browser keeps; the server's cookie options need a shorter name.");
        }

        PasskeyLog.SessionStarted(logger, user.Id, issued.Session.Handle, SessionKinds.Cookie);
        return TypedResults.Ok(new SignedInResponse(UserResponse.From(user), SessionResponse.From(issued.Session, issued.Session.Handle)));
    }

    /// <summary>A passkey sign-in for tokens: what <c>POST /auth/token</c> answers (<c>?delivery=cookie</c> too).</summary>
    public static async Task<IResult> TokenSignInAsync(
        PasskeySignInRequest? request, string? delivery, HttpContext http, PasskeyCeremonies ceremonies, TokenService tokens, ILogger<PasskeyCeremonies> logger, CancellationToken cancellationToken)
    {
        if (delivery is not null && !string.Equals(delivery, "cookie", StringComparison.Ordinal))
        {
            return TesseraProblems.Validation("delivery", "delivery is 'cookie' or absent.");
        }

        // The DPoP proof first (RFC 9449 §5), as on POST /auth/token: a bad proof, or a use_dpop_nonce
        // round trip, must not spend the single-use passkey state the client sends again on retry.
        DpopTokenProof dpop = DpopTokenProof.Read(http, cancellationToken);
        if (TokenEndpoints.RefuseProof(dpop, delivery is not null) is { } badProof)
        {
            return badProof;
        }

        (PasskeySignInResult? signedIn, IResult? refused) = await CheckAsync(request, http, ceremonies, cancellationToken).ConfigureAwait(false);
        if (signedIn is null)
        {
            return refused!;
        }

        UserRecord user = signedIn.User!;
        string methods = AuthenticationMethodValues.Passkey(signedIn.Passkey!.BackupEligible);
        PasskeyLog.SessionStarting(logger, user.Id, SessionKinds.Token);
        return await TokenEndpoints.IssueSignInAsync(http, tokens, user.Id, methods, dpop, delivery is not null, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The checks both passkey sign-ins share: the fields, then <see cref="PasskeyCeremonies.SignInAsync"/>.</summary>
    private static async Task<(PasskeySignInResult? SignedIn, IResult? Refused)> CheckAsync(PasskeySignInRequest? request, HttpContext http, PasskeyCeremonies ceremonies, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(request?.State))
        {
            errors["state"] = ["The state of the sign-in options is required."];
        }

        if (request?.Credential.ValueKind != JsonValueKind.Object)
        {
            errors["credential"] = ["The credential (credential.toJSON()) is required."];
        }

        if (errors.Count > 0)
        {
            return (null, TesseraProblems.Validation(errors));
        }

        PasskeySignInResult result = await ceremonies.SignInAsync(http.Request, request!.State, request.Credential, cancellationToken).ConfigureAwait(false);
        if (result.User is null)
        {
            Tessera.AspNetCore.RateLimiting.TesseraRateLimiting.SetRetryAfter(http.Response, result.RetryAfter);
            return (null, TesseraProblems.From(result.Error!));
        }

        return (result, null);
    }

    /// <summary>The longest name kept, and the rule said when a name breaks it.</summary>
    internal const string NameProblem = "The name must be 1 to 64 characters.";

    /// <summary>The trimmed name, or null when blank, too long or holding control characters.</summary>
    internal static string? NormalizeName(string? name)
    {
        string? trimmed = name?.Trim();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > PasskeyCredential.MaxNameLength || trimmed.Any(IsHidden) ? null : trimmed;
    }

    private static async Task<UserRecord?> CurrentUserAsync(HttpContext http, IUserStore users, CancellationToken cancellationToken) =>
        await users.FindByIdAsync(AccountEndpoints.CurrentSession(http).UserId, cancellationToken).ConfigureAwait(false);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult AccountGone() =>
        TesseraProblems.Problem(StatusCodes.Status401Unauthorized, TesseraErrorCodes.Unauthenticated, "The account of this session no longer exists.");

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound() =>
        TesseraProblems.Problem(StatusCodes.Status404NotFound, TesseraErrorCodes.PasskeyNotFound, "You have no passkey with this id.");

    // Control characters, and format characters (U+202E right-to-left override, zero-width joiners)
    // that would let a name display as another in the passkey list.
    private static bool IsHidden(char c) => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format;
}
