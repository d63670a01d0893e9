using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.Tokens;
using Tessera.OAuth;
using Tessera.Tokens;

namespace Tessera.AspNetCore.OAuth;

/// <summary>
/// Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3, OIDC
/// Core §9): <c>client_secret_basic</c> (form-urlencoded id and secret inside HTTP Basic, §2.3.1),
/// <c>client_secret_post</c>, <c>private_key_jwt</c> (RFC 7523) or, for a public client, <c>none</c>
/// (its <c>client_id</c> alone). Exactly one method per request (§2.3: two is <c>invalid_request</c>),
/// and only the one the client registered; an unknown client, a wrong secret or a bad assertion is
/// <c>invalid_client</c>. Secrets are compared as SHA-256 hashes in constant time and never logged.
/// Without a registry (<paramref name="clients"/> null) no client is known.
/// </summary>
public sealed class ClientAuthenticator(IClientStore? clients, ClientAssertionValidator assertions, TesseraTokenOptions tokenOptions)
{
    /// <summary>Who the request says it is; <see cref="ClientAuthenticationResult.Absent"/> when it names no client.</summary>
    public async ValueTask<ClientAuthenticationResult> AuthenticateAsync(HttpRequest request, IFormCollection form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(form);
        bool usedBasic = IsBasic(request.Headers.Authorization);
        foreach (string name in (string[])["client_id", "client_secret", "client_assertion", "client_assertion_type"])
        {
            if (form.TryGetValue(name, out StringValues values) && values.Count > 1)
            {
                return ClientAuthenticationResult.Refused(OAuthErrorCodes.InvalidRequest, $"{name} must be sent once.", usedBasic);
            }
        }

        string? formId = Value(form, "client_id");
        string? formSecret = Value(form, "client_secret");
        string? assertion = Value(form, "client_assertion");
        string? assertionType = Value(form, "client_assertion_type");
        int methods = (usedBasic ? 1 : 0) + (formSecret is not null ? 1 : 0) + (assertion is not null || assertionType is not null ? 1 : 0);
        if (methods > 1)
        {
            return ClientAuthenticationResult.Refused(OAuthErrorCodes.InvalidRequest, "Use exactly one client authentication method per request.", usedBasic);
        }

        if (usedBasic)
        {
            if (CredentialReader.ReadBasic(request.Headers.Authorization) is not { } basic)
            {
                return Invalid("The Basic credentials are malformed.", usedBasic: true);
            }

            // RFC 6749 §2.3.1: the id and the secret are form-urlencoded before the Basic encoding.
            string id = FormDecode(basic.UserId);
            if (formId is not null && !string.Equals(formId, id, StringComparison.Ordinal))
            {
                return ClientAuthenticationResult.Refused(OAuthErrorCodes.InvalidRequest, "client_id differs from the Basic credentials.", usedBasic: true);
            }

            return await WithSecretAsync(id, FormDecode(basic.Password), ClientAuthMethods.ClientSecretBasic, usedBasic: true, cancellationToken).ConfigureAwait(false);
        }

        if (formSecret is not null)
        {
            return formId is null
                ? Invalid("client_secret needs client_id.", usedBasic: false)
                : await WithSecretAsync(formId, formSecret, ClientAuthMethods.ClientSecretPost, usedBasic: false, cancellationToken).ConfigureAwait(false);
        }

        if (assertion is not null || assertionType is not null)
        {
            return await WithAssertionAsync(request, formId, assertion, assertionType, cancellationToken).ConfigureAwait(false);
        }

        if (formId is null)
        {
            return ClientAuthenticationResult.Absent;
        }

        OAuthClient? client = await FindAsync(formId, cancellationToken).ConfigureAwait(false);
        return client is not null && Registered(client, ClientAuthMethods.None)
            ? new ClientAuthenticationResult { Client = client, Method = ClientAuthMethods.None }
            : Invalid("Unknown client, or this client must authenticate.", usedBasic: false);
    }

    private async ValueTask<ClientAuthenticationResult> WithSecretAsync(string clientId, string secret, string method, bool usedBasic, CancellationToken cancellationToken)
    {
        OAuthClient? client = clientId.Length == 0 ? null : await FindAsync(clientId, cancellationToken).ConfigureAwait(false);
        // One answer for every failure: which of id, secret or method was wrong is not the caller's to learn.
        return client is not null && Registered(client, method) && ClientSecrets.Matches(secret, client.SecretHashes)
            ? new ClientAuthenticationResult { Client = client, Method = method, UsedBasic = usedBasic }
            : Invalid("Client authentication failed.", usedBasic);
    }

    private async ValueTask<ClientAuthenticationResult> WithAssertionAsync(HttpRequest request, string? formId, string? assertion, string? assertionType, CancellationToken cancellationToken)
    {
        if (!string.Equals(assertionType, ClientAssertionValidator.JwtBearerType, StringComparison.Ordinal) || assertion is null)
        {
            return Invalid($"client_assertion_type must be {ClientAssertionValidator.JwtBearerType}, with client_assertion.", usedBasic: false);
        }

        string? clientId = formId ?? ClientAssertionValidator.ClaimedClientId(assertion);
        OAuthClient? client = string.IsNullOrEmpty(clientId) ? null : await FindAsync(clientId, cancellationToken).ConfigureAwait(false);
        if (client is null || !Registered(client, ClientAuthMethods.PrivateKeyJwt))
        {
            return Invalid("Client authentication failed.", usedBasic: false);
        }

        // RFC 7523 §3 item 3: the audience identifies this server: its issuer or the endpoint the assertion was sent to (OIDC Core §9: the token endpoint).
        string issuer = TokenIssuer.For(request, tokenOptions);
        string[] audiences = [issuer, issuer + "/oauth2/token", issuer + request.Path.Value];
        return await assertions.ProblemAsync(client, assertion, audiences, cancellationToken).ConfigureAwait(false) is { } problem
            ? Invalid(problem, usedBasic: false)
            : new ClientAuthenticationResult { Client = client, Method = ClientAuthMethods.PrivateKeyJwt };
    }

    private async ValueTask<OAuthClient?> FindAsync(string clientId, CancellationToken cancellationToken) =>
        clients is null ? null : await clients.FindAsync(clientId, cancellationToken).ConfigureAwait(false);

    private static bool Registered(OAuthClient client, string method) =>
        string.Equals(client.TokenEndpointAuthMethod, method, StringComparison.Ordinal);

    private static bool IsBasic(StringValues authorization) =>
        authorization.Count > 0 && authorization[0] is { } header && header.TrimStart().StartsWith(CredentialReader.BasicScheme + " ", StringComparison.OrdinalIgnoreCase);

    private static string? Value(IFormCollection form, string name) =>
        form.TryGetValue(name, out StringValues values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private static ClientAuthenticationResult Invalid(string message, bool usedBasic) =>
        ClientAuthenticationResult.Refused(OAuthErrorCodes.InvalidClient, message, usedBasic);
}
