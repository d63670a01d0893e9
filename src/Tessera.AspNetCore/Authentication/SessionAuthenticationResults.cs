using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Authentication;

/// <summary>
/// The results the server's own schemes make, apart from any handler instance, so that
/// <see cref="TesseraAuthenticationHandler{TOptions}"/> and <c>UseTesseraAuthentication()</c>'s
/// handler-less path (see <c>DirectAuthentication</c>) answer a request the same way: a refusal
/// carries its <see cref="TesseraError"/> in the properties, where the challenge reads it; an
/// accepted session becomes a principal with <c>sub</c> and <c>sid</c> and the request's
/// <see cref="TesseraSessionFeature"/>.
/// </summary>
internal static class SessionAuthenticationResults
{
    internal const string CodeItem = "tessera.error";
    internal const string DetailItem = "tessera.detail";
    internal const string ReasonItem = "tessera.reason";

    /// <summary>The answer when the session store did not answer: 503 with <c>Retry-After</c>, not 401.</summary>
    public static readonly AuthenticateResult StoreUnavailable = Failure(new TesseraError(TesseraErrorCodes.StoreUnavailable, "The session store did not answer."));

    /// <summary>A refused credential: the error rides in the result's properties to the challenge.</summary>
    public static AuthenticateResult Failure(TesseraError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var properties = new AuthenticationProperties();
        properties.Items[CodeItem] = error.Code;
        properties.Items[DetailItem] = error.Message;
        if (error.Reason is { } reason)
        {
            properties.Items[ReasonItem] = reason;
        }

        return AuthenticateResult.Fail(error.Message, properties);
    }

    /// <summary>The principal of a live session: <c>sub</c>, <c>sid</c>, then the scheme's own claims.</summary>
    public static ClaimsPrincipal PrincipalOf(string scheme, SessionRecord session, IEnumerable<Claim> claims)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(claims);
        // Claims made with the identity as their subject are kept as they are; ClaimsIdentity's
        // constructor would clone every claim whose subject is not the identity (once per request).
        var identity = new ClaimsIdentity(scheme, TesseraClaimTypes.Subject, ClaimTypes.Role);
        identity.AddClaim(OwnClaim(identity, TesseraClaimTypes.Subject, session.UserId));
        identity.AddClaim(OwnClaim(identity, TesseraClaimTypes.SessionId, session.Handle));
        identity.AddClaims(claims);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>
    /// The result once the scheme's validated event ran: the event's own decision if it made one,
    /// else success with the event's principal, and the session set on the request. An event that
    /// left no principal refused the credential: <paramref name="eventRefusalCode"/>.
    /// </summary>
    public static AuthenticateResult Accept<TOptions>(ResultContext<TOptions> validated, SessionRecord session, string eventRefusalCode)
        where TOptions : AuthenticationSchemeOptions
    {
        ArgumentNullException.ThrowIfNull(validated);
        ArgumentNullException.ThrowIfNull(session);
        if (validated.Result is { } decided)
        {
            return decided;
        }

        if (validated.Principal is not { } principal)
        {
            return Failure(new TesseraError(eventRefusalCode, "The credential was refused."));
        }

        validated.HttpContext.Features.Set(new TesseraSessionFeature(session));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, validated.Properties, validated.Scheme.Name));
    }

    private static Claim OwnClaim(ClaimsIdentity identity, string type, string value) =>
        new(type, value, ClaimValueTypes.String, ClaimsIdentity.DefaultIssuer, ClaimsIdentity.DefaultIssuer, identity);
}
