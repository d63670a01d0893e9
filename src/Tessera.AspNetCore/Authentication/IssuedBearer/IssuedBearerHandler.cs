using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.Tokens;
using Tessera.Sessions;
using Tessera.Stores;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Authentication.IssuedBearer;

/// <summary>
/// Authenticates a request by an access token this server issued (RFC 6750 §2.1 header, or the
/// access-token cookie of cookie delivery): signature against the server's own key ring, claims,
/// then the session named by <c>sid</c>, so a signed-out session's access tokens stop at once.
/// A challenge is 401 with <c>WWW-Authenticate: Bearer error="invalid_token"</c> (RFC 6750 §3.1)
/// and the problem+json body naming why.
/// </summary>
public sealed class IssuedBearerHandler(
    IOptionsMonitor<IssuedBearerOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TokenService tokens,
    IProblemDetailsService problems)
    : AuthenticationHandler<IssuedBearerOptions>(options, loggerFactory, encoder)
{
    private const string ErrorCodeItem = "tessera.error";
    private const string ErrorDetailItem = "tessera.detail";

    private readonly ILogger _log = loggerFactory.CreateLogger(IssuedBearerLog.Category);

    /// <summary>The token of the request: the Authorization header's Bearer credentials, else the access-token cookie.</summary>
    public static string? ReadToken(HttpRequest request, string? cookieName)
    {
        ArgumentNullException.ThrowIfNull(request);
        string authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return cookieName is null ? null : request.Cookies[cookieName];
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = ReadToken(Request, Options.AccessTokenCookieName);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        Outcome<ValidatedAccessToken> validation;
        try
        {
            validation = await tokens.ValidateAccessTokenAsync(token, ClientInfo.From(Context), TokenIssuer.For(Request, tokens.Options), Context.RequestAborted).ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex)
        {
            IssuedBearerLog.StoreUnavailable(_log, ex);
            return Failure(new TesseraError(TesseraErrorCodes.StoreUnavailable, "The session store did not answer."));
        }

        if (!validation.Succeeded)
        {
            IssuedBearerLog.Rejected(_log, validation.Error.Code);
            return Failure(validation.Error);
        }

        SessionRecord session = validation.Value.Session;
        var identity = new ClaimsIdentity(
            [new Claim(TesseraClaimTypes.Subject, session.UserId), new Claim(TesseraClaimTypes.SessionId, session.Handle), new Claim("scope", tokens.Options.Scope)],
            Scheme.Name, TesseraClaimTypes.Subject, ClaimTypes.Role);
        Context.Features.Set(new TesseraSessionFeature(session));
        IssuedBearerLog.Authenticated(_log, session.Handle);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        AuthenticateResult result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        IDictionary<string, string?> items = result.Properties?.Items ?? new Dictionary<string, string?>();
        string code = items.TryGetValue(ErrorCodeItem, out string? c) && c is not null ? c : TesseraErrorCodes.Unauthenticated;
        string detail = items.TryGetValue(ErrorDetailItem, out string? d) && d is not null ? d : "Sign in to continue.";
        int status = code == TesseraErrorCodes.StoreUnavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status401Unauthorized;

        // RFC 6750 §3: no error attribute when the request had no token; invalid_token when it had a bad one.
        Response.Headers[HeaderNames.WWWAuthenticate] = result.Failure is null || code == TesseraErrorCodes.StoreUnavailable
            ? "Bearer realm=\"Tessera\""
            : $"Bearer realm=\"Tessera\", error=\"invalid_token\", error_description=\"{detail}\"";
        await WriteProblemAsync(status, code, detail).ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"Tessera\", error=\"insufficient_scope\"";
        await WriteProblemAsync(StatusCodes.Status403Forbidden, HttpErrorCodes.Forbidden, "This token may not do that.").ConfigureAwait(false);
    }

    private async Task WriteProblemAsync(int status, string code, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = TesseraProblems.Details(status, code, detail),
        }).ConfigureAwait(false);
    }

    private static AuthenticateResult Failure(TesseraError error)
    {
        var properties = new AuthenticationProperties();
        properties.Items[ErrorCodeItem] = error.Code;
        properties.Items[ErrorDetailItem] = error.Message;
        return AuthenticateResult.Fail(error.Message, properties);
    }
}
