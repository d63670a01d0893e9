using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Tessera.AspNetCore.Dpop;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.OAuth;
using Tessera.AspNetCore.Tokens;
using Tessera.OAuth;
using Tessera.OAuth.Grants;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>
/// <c>POST /oauth2/token</c> (RFC 6749 §3.2): authenticates the client (<see cref="ClientAuthenticator"/>),
/// checks it may use the grant it names (<c>unauthorized_client</c> otherwise), and hands the grant to
/// its domain handler: authorization_code (<see cref="AuthorizationCodeGrant"/>), refresh_token
/// (<see cref="TokenService.RefreshAsync(string?, Sessions.SessionClient, string, RefreshRequest, CancellationToken)"/>;
/// Tessera's first-party sessions refresh without a client, as they always have) and client_credentials
/// (<see cref="ClientCredentialsGrant"/>). Answers RFC 6749 §5.1 JSON, never cached, always with <c>scope</c>.
/// A valid DPoP proof (RFC 9449 §5) binds what every grant issues to its key (<c>token_type</c> DPoP);
/// a bad one, or none from a client registered with <c>dpop_bound_access_tokens</c> (§5.2), is
/// <c>invalid_dpop_proof</c> (or <c>use_dpop_nonce</c> with a <c>DPoP-Nonce</c>, §8).
/// </summary>
internal static class OAuthTokenEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext http,
        ClientAuthenticator authenticator,
        TokenService tokens,
        ClientCredentialsGrant clientCredentials,
        ILogger<OAuthTokenLog> logger,
        CancellationToken cancellationToken)
    {
        NoStore(http.Response);
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

        if (!TryParameter(form, "grant_type", out string? grantType) || grantType is null)
        {
            return OAuthErrors.Result(OAuthErrorCodes.InvalidRequest, "grant_type is required, once.");
        }

        if (!TryParameter(form, "scope", out string? scopeText))
        {
            return OAuthErrors.Result(OAuthErrorCodes.InvalidRequest, "scope must be sent at most once.");
        }

        if (Scopes.Parse(scopeText) is not { } scope)
        {
            return OAuthErrors.Result(TesseraErrorCodes.InvalidScope, "scope must be space-separated scope tokens (RFC 6749 §3.3).");
        }

        if (!GrantTypes.All.Contains(grantType, StringComparer.Ordinal))
        {
            return OAuthErrors.Result(OAuthErrorCodes.UnsupportedGrantType, $"Supported grant types: {string.Join(", ", GrantTypes.All)}.");
        }

        OAuthClient? client = caller.Client;
        if (client is null && grantType != GrantTypes.RefreshToken)
        {
            // Only Tessera's own first-party refresh works without naming a client.
            return ClientAuthenticationFailure.Answer(http.Response, new TesseraError(OAuthErrorCodes.InvalidClient, "This grant needs client authentication (or client_id for a public client)."), usedBasic: false);
        }

        if (client is not null && !ClientGrants.Allows(client, grantType))
        {
            OAuthTokenLog.Refused(logger, grantType, client.ClientId, TesseraErrorCodes.UnauthorizedClient);
            return OAuthErrors.Result(TesseraErrorCodes.UnauthorizedClient, $"This client is not registered for {grantType}.");
        }

        DpopTokenProof dpop = DpopTokenProof.Read(http, cancellationToken);
        if (dpop.Error is { } badProof)
        {
            OAuthTokenLog.Refused(logger, grantType, client?.ClientId ?? tokens.Options.ClientId, badProof.Code);
            return dpop.ToOAuthError();
        }

        if (dpop.Proof is null && client is { RequireDpopBoundAccessTokens: true })
        {
            DpopTokenLog.ProofRequired(logger, client.ClientId);
            return DpopTokenProof.ToOAuthError(new TesseraError(Tessera.Dpop.DpopErrorCodes.InvalidProof, "This client is registered with dpop_bound_access_tokens: every token request needs a DPoP proof (RFC 9449 section 5.2)."));
        }

        // The proof's jti is recorded once the client has authenticated (above) and, for a refresh, once the
        // token is found and the client's (RefreshRequest.UseProof): a request refused for its credentials
        // takes no single-use mark (RFC 9449 §11.1). A code is redeemed atomically, so its proof is recorded
        // just before: after, a replayed request would reach the code's reuse revocation first.
        if (grantType != GrantTypes.RefreshToken && await dpop.UseAsync(http, cancellationToken).ConfigureAwait(false) is { } replayed)
        {
            OAuthTokenLog.Refused(logger, grantType, client?.ClientId ?? tokens.Options.ClientId, replayed.Code);
            return DpopTokenProof.ToOAuthError(replayed);
        }

        string issuer = TokenIssuer.For(http.Request, tokens.Options);
        var proofUse = new DpopRefreshProofUse(dpop, http);
        Outcome<GrantedTokens> granted = grantType switch
        {
            // Resolved only here: a host without a code store still serves the other grants.
            GrantTypes.AuthorizationCode => await http.RequestServices.GetRequiredService<AuthorizationCodeGrant>().RedeemAsync(
                new AuthorizationCodeRequest(Parameter(form, "code"), Parameter(form, "redirect_uri"), Parameter(form, "code_verifier")) { DpopKeyThumbprint = dpop.KeyThumbprint },
                client!, ClientInfo.From(http), issuer, cancellationToken).ConfigureAwait(false),
            GrantTypes.ClientCredentials => await clientCredentials.IssueAsync(client!, scope, issuer, dpop.KeyThumbprint, cancellationToken).ConfigureAwait(false),
            _ => await RefreshAsync(http, form, tokens, client, scope, issuer, proofUse, dpop, cancellationToken).ConfigureAwait(false),
        };

        string clientId = client?.ClientId ?? tokens.Options.ClientId;
        if (!granted.Succeeded)
        {
            if (granted.Error.Code == TesseraErrorCodes.RefreshTokenReused)
            {
                // The warning operators watch for (a refresh token may be stolen), as /auth/token/refresh logs it.
                AuthEndpointsLog.RefreshTokenReused(logger);
            }

            OAuthTokenLog.Refused(logger, grantType, clientId, granted.Error.Code);
            if (DpopTokenProof.IsDpopCode(granted.Error.Code))
            {
                if (grantType == GrantTypes.RefreshToken && proofUse.IsBindingRefusal(granted.Error))
                {
                    // Only the refresh grant's key binding; a spent proof (a replayed request) was logged as a refused proof already.
                    DpopTokenLog.BoundRefreshRefused(logger, granted.Error.Message);
                }
                else if (grantType == GrantTypes.AuthorizationCode)
                {
                    // The proof itself was checked and spent above: the code grant's only DPoP refusal is its dpop_jkt binding.
                    DpopTokenLog.BoundCodeRefused(logger, clientId, granted.Error.Message);
                }

                return DpopTokenProof.ToOAuthError(granted.Error);
            }

            return OAuthErrors.From(granted.Error);
        }

        OAuthTokenLog.Issued(logger, grantType, clientId, granted.Value.SessionHandle ?? "-");
        if (granted.Value.KeyThumbprint is { } bound)
        {
            DpopTokenLog.Bound(logger, granted.Value.SessionHandle ?? "-", bound);
        }

        return TypedResults.Ok(Body(granted.Value));
    }

    private static async Task<Outcome<GrantedTokens>> RefreshAsync(HttpContext http, IFormCollection form, TokenService tokens, OAuthClient? client, IReadOnlyList<string> scope, string issuer, DpopRefreshProofUse proofUse, DpopTokenProof dpop, CancellationToken cancellationToken)
    {
        string? presented = Parameter(form, "refresh_token");
        if (presented is null)
        {
            return Outcome.Failure<GrantedTokens>(OAuthErrorCodes.InvalidRequest, "refresh_token is required, once.");
        }

        // RFC 9449 §5: a confidential client's refresh token is not bound (its authentication constrains it); Tessera's own and public clients' are.
        var request = new RefreshRequest(client?.ClientId, scope)
        {
            DpopKeyThumbprint = dpop.KeyThumbprint,
            RefreshTokenBound = client is null || !client.IsConfidential,
            UseProof = proofUse.Callback,
        };
        Outcome<IssuedTokens> refreshed = await tokens.RefreshAsync(presented, ClientInfo.From(http), issuer, request, cancellationToken).ConfigureAwait(false);
        if (!refreshed.Succeeded)
        {
            return Outcome.Failure<GrantedTokens>(refreshed.Error);
        }

        IssuedTokens issued = refreshed.Value;
        return Outcome.Success(new GrantedTokens(issued.AccessToken, issued.ExpiresIn, issued.Scope) { RefreshToken = issued.RefreshToken, SessionHandle = issued.Session.Handle, KeyThumbprint = issued.KeyThumbprint });
    }

    private static TokenResponse Body(GrantedTokens granted) =>
        new(granted.AccessToken, granted.TokenType, (long)granted.ExpiresIn.TotalSeconds, granted.RefreshToken, granted.SessionHandle)
        {
            Scope = granted.Scope,
            IdToken = granted.IdToken,
        };

    /// <summary>False when <paramref name="name"/> was sent more than once (RFC 6749 §3.2: parameters must not repeat); null value when absent or empty.</summary>
    private static bool TryParameter(IFormCollection form, string name, out string? value)
    {
        value = null;
        if (!form.TryGetValue(name, out StringValues values) || values.Count == 0)
        {
            return true;
        }

        if (values.Count > 1)
        {
            return false;
        }

        value = string.IsNullOrEmpty(values[0]) ? null : values[0];
        return true;
    }

    private static string? Parameter(IFormCollection form, string name) =>
        TryParameter(form, name, out string? value) ? value : null;

    private static void NoStore(HttpResponse response)
    {
        // RFC 6749 §5.1: token responses must not be cached.
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}
