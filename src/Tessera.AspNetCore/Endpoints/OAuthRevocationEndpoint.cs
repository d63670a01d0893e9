using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.OAuth;
using Tessera.AspNetCore.Tokens;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>
/// <c>POST /oauth2/revoke</c> (RFC 7009): the client's credentials are verified first (§2.1; a
/// registered client authenticates as registered, a public one names itself with <c>client_id</c>,
/// Tessera's first-party tokens need neither), then the token — refresh or access, whatever
/// <c>token_type_hint</c> says, since the hint is only a hint — ends its session
/// (<see cref="TokenService.RevokeTokenAsync"/>). 200 also for a token that is not valid (§2.2);
/// <c>unsupported_token_type</c> for an access token that names no session (§2.2.1);
/// <c>unauthorized_client</c> for another client's token.
/// </summary>
internal static class OAuthRevocationEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, ClientAuthenticator authenticator, TokenService tokens, ILogger<OAuthTokenLog> logger, CancellationToken cancellationToken)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        if (!http.Request.HasFormContentType)
        {
            return OAuthErrors.Result(OAuthErrorCodes.InvalidRequest, "The request must be application/x-www-form-urlencoded.");
        }

        IFormCollection form = await http.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        ClientAuthenticationResult caller = await authenticator.AuthenticateAsync(http.Request, form, cancellationToken).ConfigureAwait(false);
        if (caller.Error is { } refusedClient)
        {
            OAuthTokenLog.ClientRefused(logger, LogValue.Escape(http.Request.Path.Value), refusedClient.Code);
            return ClientAuthenticationFailure.Answer(http.Response, refusedClient, caller.UsedBasic);
        }

        string? token = form.TryGetValue("token", out StringValues values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
        if (token is null)
        {
            return OAuthErrors.Result(OAuthErrorCodes.InvalidRequest, "token is required, once.");
        }

        Outcome<bool> revoked = await tokens.RevokeTokenAsync(token, caller.Client?.ClientId, TokenIssuer.For(http.Request, tokens.Options), cancellationToken).ConfigureAwait(false);
        if (!revoked.Succeeded)
        {
            return OAuthErrors.From(revoked.Error);
        }

        if (revoked.Value)
        {
            OAuthTokenLog.Revoked(logger, caller.Client?.ClientId ?? tokens.Options.ClientId);
        }

        return TypedResults.Ok();
    }
}
