using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Authentication.Middleware;

/// <summary>
/// The one result of the default scheme for a request authenticated by
/// <see cref="TesseraAuthenticationMiddleware"/>. With <c>UseAuthentication()</c> the request's
/// handler provider keeps one handler per scheme and that handler caches its result, so a later
/// <c>HttpContext.AuthenticateAsync()</c> (a controller, the challenge) sees the same result. The
/// fast path makes its handler without the provider, so the provider would make a second one: Tessera's
/// handlers look here first and answer the recorded result instead of authenticating again.
/// Present only on requests the fast path took; under <c>UseAuthentication()</c> nothing changes.
/// The result is answered only to a handler of the same options instance: a later middleware may swap
/// <c>RequestServices</c> for a tenant's container, whose handler of the same scheme name has options of
/// its own (another issuer, audience, keys) and must validate the credential itself.
/// </summary>
internal sealed class AuthenticatedOnce(string scheme)
{
    private AuthenticateResult? _result;
    private object? _options;

    /// <summary>The result recorded for <paramref name="scheme"/> on this request, if the fast path authenticated it with these very <paramref name="options"/>.</summary>
    public static bool TryGet(HttpContext context, string scheme, object options, out AuthenticateResult result)
    {
        if (context.Features.Get<AuthenticatedOnce>() is { _result: { } recorded } once
            && string.Equals(once._scheme, scheme, StringComparison.Ordinal)
            && ReferenceEquals(once._options, options))
        {
            result = recorded;
            return true;
        }

        result = null!;
        return false;
    }

    /// <summary>Records the first result of <paramref name="scheme"/>, validated with <paramref name="options"/>, when the fast path asked for it (a no-op otherwise).</summary>
    public static void Record(HttpContext context, string scheme, object options, AuthenticateResult result)
    {
        if (context.Features.Get<AuthenticatedOnce>() is { } once
            && once._result is null
            && string.Equals(once._scheme, scheme, StringComparison.Ordinal))
        {
            once._result = result;
            once._options = options;
        }
    }

    private readonly string _scheme = scheme;
}
