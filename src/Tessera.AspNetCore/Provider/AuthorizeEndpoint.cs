using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Tessera.OAuth.Authorization;

namespace Tessera.AspNetCore.Provider;

/// <summary>
/// <c>GET</c> and <c>POST /oauth2/authorize</c> (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2.1: the
/// parameters in the query, or in a form body). A request whose client or redirect URI cannot be
/// verified gets an error page and goes nowhere; any other error goes back to the client.
/// </summary>
internal static class AuthorizeEndpoint
{
    public static async Task<IResult> AuthorizeAsync(HttpContext http, [FromServices] ProviderServices provider, CancellationToken cancellationToken)
    {
        IEnumerable<KeyValuePair<string, string?>> parameters;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            if (!http.Request.HasFormContentType)
            {
                ProviderLog.RefusedOnPage(provider.Log, AuthorizationErrors.InvalidRequest);
                return ProviderPages.Error("This sign-in request cannot be completed", "An authorization request sent by POST must be a form (application/x-www-form-urlencoded).");
            }

            IFormCollection form = await http.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            parameters = Pairs(form);
        }
        else
        {
            parameters = Pairs(http.Request.Query);
        }

        AuthorizationValidation validation = await provider.Validator.ValidateAsync(parameters, cancellationToken).ConfigureAwait(false);
        if (!validation.Succeeded)
        {
            if (validation.RedirectTo is null)
            {
                ProviderLog.RefusedOnPage(provider.Log, validation.Error!);
                return ProviderPages.Error("This sign-in request cannot be completed", validation.ErrorDescription!);
            }

            ProviderLog.RefusedToClient(provider.Log, validation.Client!.ClientId, validation.Error!);
            return ClientRedirect.Error(http, validation.RedirectTo, validation.ResponseMode, validation.State, validation.Error!, validation.ErrorDescription!,
                AuthorizationFlow.Issuer(http, provider));
        }

        return await AuthorizationFlow.ContinueAsync(http, provider, validation.Client!, validation.Request!,
            await AuthorizationFlow.BrowserSessionAsync(http).ConfigureAwait(false), justSignedIn: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every name-value pair, repeats kept (so a repeated parameter can be refused, RFC 6749 §3.1).</summary>
    private static IEnumerable<KeyValuePair<string, string?>> Pairs(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> collection) =>
        collection.SelectMany(p => p.Value.Count == 0 ? [new KeyValuePair<string, string?>(p.Key, null)] : p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)));
}
