using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authentication.Middleware;
using Tessera.AspNetCore.Http;
using Tessera.Sessions;
using Tessera.Stores;

namespace Tessera.AspNetCore.Authentication;

/// <summary>
/// What the server's own schemes (the session cookie, and the bearer for the tokens this server
/// issued) share: a refusal travels from authentication to the challenge as a
/// <see cref="TesseraError"/> in the result's properties; the challenge answers it as problem+json
/// with the status <see cref="TesseraErrorCatalog"/> gives its code (a store that did not answer is
/// 503, not 401); an accepted credential becomes a principal with <c>sub</c> and <c>sid</c> and the
/// request's <see cref="TesseraSessionFeature"/>. A scheme keeps only what is its own: where the
/// credential comes from and how it is checked (<see cref="AuthenticateCredentialAsync"/>) and what
/// its challenge adds (<see cref="AddChallenge"/>, <see cref="AddForbiddenChallenge"/>).
/// </summary>
public abstract class TesseraAuthenticationHandler<TOptions>(
    IOptionsMonitor<TOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IProblemDetailsService problems)
    : AuthenticationHandler<TOptions>(options, loggerFactory, encoder)
    where TOptions : AuthenticationSchemeOptions, new()
{
    private const string CodeItem = SessionAuthenticationResults.CodeItem;
    private const string DetailItem = SessionAuthenticationResults.DetailItem;
    private const string ReasonItem = SessionAuthenticationResults.ReasonItem;

    private static readonly TesseraError NoCredential = new(TesseraErrorCodes.Unauthenticated, "Sign in to continue.");

    /// <summary>The message of a 403: what this kind of credential may not do.</summary>
    protected abstract string ForbiddenDetail { get; }

    /// <summary>
    /// The refusal answered when an event failed the request itself (<c>context.Fail(…)</c>) or left
    /// no principal: the credential was presented and refused, so the challenge must say so (RFC 6750
    /// §3.1 <c>invalid_token</c> for a bearer), not answer as if none had been sent.
    /// </summary>
    protected abstract string EventRefusalCode { get; }

    /// <inheritdoc />
    protected sealed override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // UseTesseraAuthentication() authenticated this scheme already with a handler of its own: the same result, as the framework's one handler per request would give.
        if (AuthenticatedOnce.TryGet(Context, Scheme.Name, Options, out AuthenticateResult once))
        {
            return once;
        }

        AuthenticateResult result;
        try
        {
            result = await AuthenticateCredentialAsync().ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex)
        {
            LogStoreUnavailable(ex);
            result = SessionAuthenticationResults.StoreUnavailable;
        }

        AuthenticatedOnce.Record(Context, Scheme.Name, Options, result);
        return result;
    }

    /// <summary>
    /// Reads the scheme's credential and checks it: <see cref="AuthenticateResult.NoResult"/> when the
    /// request carries none, <see cref="Failure"/> when it is refused, <see cref="Accept"/> when it names a live session.
    /// </summary>
    protected abstract Task<AuthenticateResult> AuthenticateCredentialAsync();

    /// <summary>Logs, in the scheme's own category, that the session store did not answer.</summary>
    protected abstract void LogStoreUnavailable(Exception exception);

    /// <summary>
    /// Adds what the scheme's challenge carries besides the problem+json body.
    /// <paramref name="refusal"/> is null when no credential was presented; <paramref name="entry"/>
    /// says how the answered code travels (its status, its RFC 6750 challenge error); <paramref name="result"/>
    /// is the request's result, possibly made by another handler of this scheme (see <see cref="AuthenticatedOnce"/>),
    /// so what the challenge needs is read from its properties, not from this handler's fields.
    /// </summary>
    protected abstract void AddChallenge(AuthenticateResult result, TesseraError? refusal, TesseraErrorEntry entry);

    /// <summary>Adds what the scheme's 403 carries besides the problem+json body; nothing by default.</summary>
    protected virtual void AddForbiddenChallenge()
    {
    }

    /// <summary>A refused credential: the error rides in the result's properties to the challenge.</summary>
    protected static AuthenticateResult Failure(TesseraError error) => SessionAuthenticationResults.Failure(error);

    /// <summary>The principal of a live session: <c>sub</c>, <c>sid</c>, then the scheme's own claims.</summary>
    protected ClaimsPrincipal PrincipalOf(SessionRecord session, params IEnumerable<Claim> claims) =>
        SessionAuthenticationResults.PrincipalOf(Scheme.Name, session, claims);

    /// <summary>
    /// The result once the scheme's validated event ran: the event's own decision if it made one,
    /// else success with the event's principal, and the session set on the request.
    /// </summary>
    protected AuthenticateResult Accept(ResultContext<TOptions> validated, SessionRecord session) =>
        SessionAuthenticationResults.Accept(validated, session, EventRefusalCode);

    /// <inheritdoc />
    protected sealed override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        AuthenticateResult result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        TesseraError? refusal = RefusalOf(result);
        TesseraError answer = refusal ?? NoCredential;
        TesseraErrorEntry entry = TesseraErrorCatalog.Describe(answer.Code);
        AddChallenge(result, refusal, entry);
        await WriteProblemAsync(entry.Status, answer).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected sealed override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        AddForbiddenChallenge();
        await WriteProblemAsync(StatusCodes.Status403Forbidden, new TesseraError(HttpErrorCodes.Forbidden, ForbiddenDetail)).ConfigureAwait(false);
    }

    /// <summary>The refusal <see cref="Failure"/> stored (or an event's own failure); null when no credential was presented.</summary>
    private TesseraError? RefusalOf(AuthenticateResult result)
    {
        if (result.Failure is null)
        {
            return null;
        }

        if (result.Properties?.Items is not { } items || !items.TryGetValue(CodeItem, out string? code) || code is null)
        {
            return new TesseraError(EventRefusalCode, result.Failure.Message);
        }

        string message = items.TryGetValue(DetailItem, out string? detail) && detail is not null ? detail : result.Failure.Message;
        return new TesseraError(code, message) { Reason = items.TryGetValue(ReasonItem, out string? reason) ? reason : null };
    }

    private async Task WriteProblemAsync(int status, TesseraError error)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = TesseraProblems.Details(status, error),
        }).ConfigureAwait(false);
    }
}
