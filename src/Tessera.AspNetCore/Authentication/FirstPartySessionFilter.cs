using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.Authentication;

/// <summary>
/// Keeps the user's own account API (devices, sign-out everywhere, password, attributes, consents)
/// for the user's own sign-ins. An access token issued to an OAuth client acts for that client
/// within the scope the user granted it (RFC 6749 §3.3, RFC 9700 §2.3: a token's privileges are
/// limited to what it was issued for); consenting to <c>openid</c> must not hand the client the
/// power to list the user's devices or end all their sessions. Such a request gets 403
/// <c>first_party_session_required</c>; a client ends its own session with RFC 7009 revocation.
/// </summary>
internal sealed class FirstPartySessionFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return context.HttpContext.GetTesseraSession() is { ClientId: not null }
            ? ValueTask.FromResult<object?>(TesseraProblems.Problem(StatusCodes.Status403Forbidden, TesseraErrorCodes.FirstPartySessionRequired,
                "This API takes the user's own sign-in (the session cookie or /auth/token), not a token issued to an OAuth client; a client ends its session with /oauth2/revoke."))
            : next(context);
    }
}

/// <summary>Applies <see cref="FirstPartySessionFilter"/>.</summary>
public static class FirstPartySessionExtensions
{
    /// <summary>Refuses requests authenticated by a token issued to an OAuth client (403 <c>first_party_session_required</c>).</summary>
    public static TBuilder RequireFirstPartySession<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEndpointFilter(new FirstPartySessionFilter());
        return builder;
    }
}
