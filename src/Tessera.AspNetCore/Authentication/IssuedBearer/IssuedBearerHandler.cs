using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.Tokens;
using Tessera.Jose;
using Tessera.Jose.Jwt;
using Tessera.Sessions;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Authentication.IssuedBearer;

/// <summary>
/// The server's own bearer: authenticates a request by an access token this server issued (RFC 6750
/// §2.1 header, or the access-token cookie of cookie delivery, both read by
/// <see cref="CredentialReader"/>): signature against the server's own key ring, claims, then the
/// session named by <c>sid</c>, so a signed-out session's access tokens stop at once. A refusal is
/// 401 with <c>WWW-Authenticate: Bearer error="invalid_token"</c> (RFC 6750 §3.1), the JOSE cause
/// in its <c>error_description</c> and in the problem+json <c>reason</c>. (APIs elsewhere validate
/// Tessera's tokens with the resource-server bearer, <see cref="TesseraBearerHandler"/>.)
/// </summary>
public sealed class IssuedBearerHandler(
    IOptionsMonitor<IssuedBearerOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TokenService tokens,
    IProblemDetailsService problems)
    : TesseraAuthenticationHandler<IssuedBearerOptions>(options, loggerFactory, encoder, problems)
{
    /// <summary>The realm of the server's own bearer challenges (RFC 6750 §3).</summary>
    internal const string Realm = "Tessera";

    private readonly ILogger _log = loggerFactory.CreateLogger(IssuedBearerLog.Category);

    private new IssuedBearerEvents Events => (IssuedBearerEvents)base.Events!;

    /// <inheritdoc />
    protected override string ForbiddenDetail => "This token may not do that.";

    /// <inheritdoc />
    protected override string EventRefusalCode => TesseraErrorCodes.InvalidToken;

    /// <summary>
    /// The token of the request: the Authorization header's Bearer credentials, else the access-token
    /// cookie (see <see cref="CredentialReader.ReadAccessToken"/>). Null: none; empty: one was sent malformed.
    /// </summary>
    public static string? ReadToken(HttpRequest request, string? cookieName)
    {
        BearerCredential credential = CredentialReader.ReadAccessToken(request, cookieName);
        return credential.Presence switch
        {
            CredentialPresence.Present => credential.Token,
            CredentialPresence.Malformed => "",
            _ => null,
        };
    }

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> AuthenticateCredentialAsync()
    {
        BearerCredential credential = CredentialReader.ReadAccessToken(Request, Options.AccessTokenCookieName);
        if (credential.Presence == CredentialPresence.Absent)
        {
            return AuthenticateResult.NoResult();
        }

        if (credential.Token is not { } token)
        {
            return await RejectAsync(new TesseraError(TesseraErrorCodes.InvalidToken, credential.Problem!) { Reason = JoseErrorCodes.Malformed }).ConfigureAwait(false);
        }

        Outcome<ValidatedAccessToken> validation = await tokens.ValidateAccessTokenAsync(token, ClientInfo.From(Context), TokenIssuer.For(Request, tokens.Options), Context.RequestAborted).ConfigureAwait(false);
        if (!validation.Succeeded)
        {
            return await RejectAsync(validation.Error).ConfigureAwait(false);
        }

        ValidatedAccessToken accepted = validation.Value;
        if (accepted.BindingMismatch)
        {
            IssuedBearerLog.BindingMismatch(_log, accepted.Session.Handle, RevocationReasons.BindingMismatch);
        }

        var context = new IssuedTokenValidatedContext(Context, Scheme, Options, accepted) { Principal = PrincipalOf(accepted.Session, ScopeClaims(accepted.Claims)) };
        await Events.TokenValidated(context).ConfigureAwait(false);
        AuthenticateResult result = Accept(context, accepted.Session);
        if (result.Succeeded)
        {
            IssuedBearerLog.Authenticated(_log, accepted.Session.Handle);
        }

        return result;
    }

    /// <inheritdoc />
    protected override void LogStoreUnavailable(Exception exception) => IssuedBearerLog.StoreUnavailable(_log, exception);

    /// <inheritdoc />
    protected override void AddChallenge(TesseraError? refusal, TesseraErrorEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.IsServerSide)
        {
            // Nothing is wrong with the token: no error attribute, the 503 says to retry.
            Response.Headers[HeaderNames.WWWAuthenticate] = BearerChallenge.Format(Realm);
            return;
        }

        // RFC 6750 §3: no error attribute when the request had no token; §3.1: invalid_token for a refused one.
        Response.Headers[HeaderNames.WWWAuthenticate] = refusal is null
            ? BearerChallenge.Format(Realm)
            : BearerChallenge.Format(Realm, ("error", entry.ChallengeError ?? TesseraErrorCodes.InvalidToken), ("error_description", BearerChallenge.Describe(refusal.Message, refusal.Reason)));
    }

    /// <inheritdoc />
    protected override void AddForbiddenChallenge() =>
        Response.Headers[HeaderNames.WWWAuthenticate] = BearerChallenge.Format(Realm, ("error", TesseraBearerErrorCodes.InsufficientScope));

    /// <summary>The token's own <c>scope</c> (RFC 9068 §2.2.3), one claim per entry as the resource-server bearer maps it; none when the token has none.</summary>
    private static IEnumerable<Claim> ScopeClaims(JwtClaims claims) =>
        claims.GetStrings(TesseraBearerDefaults.ScopeClaimType, splitOnSpaces: true).Select(scope => new Claim(TesseraBearerDefaults.ScopeClaimType, scope));

    private async Task<AuthenticateResult> RejectAsync(TesseraError error)
    {
        IssuedBearerLog.Rejected(_log, error.Code, error.Reason ?? "-");
        if (string.Equals(error.Reason, SessionValidation.UnknownSessionReason, StringComparison.Ordinal))
        {
            SuspiciousSessionLog.UnknownTokenSession(_log, Context);
        }

        await Events.TokenRejected(new IssuedTokenRejectedContext(Context, Scheme, Options, error)).ConfigureAwait(false);
        return Failure(error);
    }
}
