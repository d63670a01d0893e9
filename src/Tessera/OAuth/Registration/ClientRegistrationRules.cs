using Tessera.Sessions;

namespace Tessera.OAuth.Registration;

/// <summary>
/// The rules a client registration must follow, each field checked on its own so that every
/// problem is reported at once with its stable code (<see cref="TesseraErrorCodes"/>
/// <c>client_*_invalid</c>). <see cref="Check"/> also fills in the defaults, so the CLI, the admin
/// API and configuration all register the same client for the same input.
/// </summary>
public static class ClientRegistrationRules
{
    /// <summary>The longest client id accepted.</summary>
    public const int MaxClientIdLength = 64;
    /// <summary>The longest display name accepted.</summary>
    public const int MaxDisplayNameLength = 100;

    /// <summary>At most this many entries per list (redirect URIs, origins, scopes…).</summary>
    public const int MaxListLength = 50;

    /// <summary>The scopes a client that may use the code grant gets when none are given.</summary>
    public static IReadOnlyList<string> DefaultScopes { get; } = [Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess];

    /// <summary>The grant types a client gets when none are given: the code flow with refresh tokens.</summary>
    public static IReadOnlyList<string> DefaultGrantTypes { get; } = [OAuth.GrantTypes.AuthorizationCode, OAuth.GrantTypes.RefreshToken];

    /// <summary>Every problem of <paramref name="request"/>; empty when it can be registered.</summary>
    public static IReadOnlyList<ClientRegistrationProblem> Validate(ClientRegistrationRequest request) => Check(request).Problems;

    /// <summary>
    /// Validates <paramref name="request"/> and, when it is acceptable, returns it with every default
    /// filled in, lists de-duplicated, and the JWK Set in its stored (public) form.
    /// </summary>
    public static (ClientRegistrationRequest? Normalized, IReadOnlyList<ClientRegistrationProblem> Problems) Check(ClientRegistrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<ClientRegistrationProblem>();
        void Add(string field, string code, string message) => problems.Add(new ClientRegistrationProblem(field, code, message));

        if (ClientIdProblem(request.ClientId) is { } idProblem)
        {
            Add("clientId", TesseraErrorCodes.ClientIdInvalid, idProblem);
        }

        string? displayName = request.DisplayName ?? request.ClientId;
        if (request.DisplayName is not null && DisplayNameProblem(request.DisplayName) is { } nameProblem)
        {
            Add("displayName", TesseraErrorCodes.ClientNameInvalid, nameProblem);
        }

        // RFC 6749 §2.1 types, and the methods each can use (RFC 7591 §2): a public client cannot keep a secret or a key.
        string? type = request.ClientType;
        string? method = request.TokenEndpointAuthMethod;
        if (type is not (ClientTypes.Public or ClientTypes.Confidential))
        {
            Add("clientType", TesseraErrorCodes.ClientTypeInvalid, type is null
                ? "the client type is required: public (a browser or native app, no secret) or confidential (a server that keeps a secret or key)"
                : $"'{type}' is not a client type: public or confidential");
        }
        else
        {
            method ??= type == ClientTypes.Public ? ClientAuthMethods.None : ClientAuthMethods.ClientSecretBasic;
            if (!ClientAuthMethods.All.Contains(method, StringComparer.Ordinal))
            {
                Add("tokenEndpointAuthMethod", TesseraErrorCodes.ClientAuthMethodInvalid, $"'{method}' is not a token endpoint auth method: {string.Join(", ", ClientAuthMethods.All)}");
            }
            else if ((type == ClientTypes.Public) != (method == ClientAuthMethods.None))
            {
                Add("tokenEndpointAuthMethod", TesseraErrorCodes.ClientAuthMethodInvalid, type == ClientTypes.Public
                    ? $"a public client authenticates with 'none', not '{method}' (it cannot keep a secret, RFC 6749 §2.1)"
                    : "a confidential client authenticates with client_secret_basic, client_secret_post or private_key_jwt, not 'none'");
            }
        }

        string? jwks = null;
        if (method == ClientAuthMethods.PrivateKeyJwt)
        {
            (jwks, string? jwksProblem) = ClientJwksRules.Check(request.JwksJson);
            if (jwksProblem is not null)
            {
                Add("jwks", TesseraErrorCodes.ClientJwksInvalid, jwksProblem);
            }
        }
        else if (request.JwksJson is not null)
        {
            Add("jwks", TesseraErrorCodes.ClientJwksInvalid, "a JWK Set is registered only with the private_key_jwt method");
        }

        string[] redirectUris = CheckList(request.RedirectUris, "redirectUris", TesseraErrorCodes.ClientRedirectUriInvalid, RedirectUriRules.RedirectUriProblem, problems);
        string[] postLogoutUris = CheckList(request.PostLogoutRedirectUris, "postLogoutRedirectUris", TesseraErrorCodes.ClientPostLogoutUriInvalid, RedirectUriRules.RedirectUriProblem, problems);
        string[] corsOrigins = CheckList(request.CorsOrigins, "corsOrigins", TesseraErrorCodes.ClientCorsOriginInvalid, RedirectUriRules.CorsOriginProblem, problems);

        string[] grantTypes = CheckList(request.GrantTypes ?? DefaultGrantTypes, "grantTypes", TesseraErrorCodes.ClientGrantTypesInvalid, GrantTypeProblem, problems);
        bool codeGrant = grantTypes.Contains(OAuth.GrantTypes.AuthorizationCode, StringComparer.Ordinal);
        if (grantTypes.Length == 0 && request.GrantTypes is { Count: 0 })
        {
            Add("grantTypes", TesseraErrorCodes.ClientGrantTypesInvalid, $"at least one grant type is needed: {string.Join(", ", OAuth.GrantTypes.All)}");
        }

        // RFC 6749 §4.4: the client credentials grant is for confidential clients only.
        if (type == ClientTypes.Public && grantTypes.Contains(OAuth.GrantTypes.ClientCredentials, StringComparer.Ordinal))
        {
            Add("grantTypes", TesseraErrorCodes.ClientGrantTypesInvalid, "a public client cannot use client_credentials (RFC 6749 §4.4: confidential clients only)");
        }

        // Refresh tokens come only from the code grant (a client credentials response has none, RFC 6749 §4.4.3).
        if (grantTypes.Contains(OAuth.GrantTypes.RefreshToken, StringComparer.Ordinal) && !codeGrant)
        {
            Add("grantTypes", TesseraErrorCodes.ClientGrantTypesInvalid, "refresh_token is issued only through authorization_code: add it, or drop refresh_token");
        }

        if (codeGrant && redirectUris.Length == 0 && request.RedirectUris?.Count is null or 0)
        {
            Add("redirectUris", TesseraErrorCodes.ClientRedirectUriInvalid, "the authorization_code grant needs at least one redirect URI");
        }

        string[] scopes = CheckList(request.Scopes ?? (codeGrant ? DefaultScopes : []), "scopes", TesseraErrorCodes.ClientScopeInvalid, ScopeProblem, problems);

        string alg = request.IdTokenSignedResponseAlg ?? IdTokenAlgorithms.Default;
        if (!IdTokenAlgorithms.Supported.Contains(alg, StringComparer.Ordinal))
        {
            Add("idTokenSignedResponseAlg", TesseraErrorCodes.ClientIdTokenAlgInvalid, $"'{alg}' is not an ID token algorithm Tessera signs with: {string.Join(", ", IdTokenAlgorithms.Supported)}");
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        return (new ClientRegistrationRequest
        {
            ClientId = request.ClientId,
            DisplayName = displayName,
            ClientType = type,
            TokenEndpointAuthMethod = method,
            JwksJson = jwks,
            RedirectUris = redirectUris,
            PostLogoutRedirectUris = postLogoutUris,
            GrantTypes = grantTypes,
            Scopes = scopes,
            CorsOrigins = corsOrigins,
            RequireConsent = request.RequireConsent ?? true,
            IdTokenSignedResponseAlg = alg,
            DpopBoundAccessTokens = request.DpopBoundAccessTokens ?? false,
        }, problems);
    }

    /// <summary>True when <paramref name="method"/> authenticates with a shared secret (RFC 6749 §2.3.1).</summary>
    public static bool UsesSecret(string? method) => method is ClientAuthMethods.ClientSecretBasic or ClientAuthMethods.ClientSecretPost;

    /// <summary>
    /// A secret given by an operator (configuration) must be what Tessera would generate: 256 random
    /// bits as 43 base64url characters. Only then is an unsalted SHA-256 safe at rest (<see cref="ClientSecrets"/>),
    /// and only such a secret is ever matched at the token endpoint.
    /// </summary>
    public static string? SecretProblem(string? secret)
    {
        Span<byte> hash = stackalloc byte[SessionSecret.HashLength];
        return SessionSecret.TryHash(secret, hash)
            ? null
            : $"a client secret is 256 random bits as {SessionSecret.EncodedLength} base64url characters without padding, for instance from: openssl rand -base64 32 | tr '+/' '-_' | tr -d '='";
    }

    /// <summary>Why <paramref name="clientId"/> cannot be a client id; null when it can.</summary>
    public static string? ClientIdProblem(string? clientId)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            return "the client id is required";
        }

        return clientId.Length <= MaxClientIdLength && clientId.All(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            ? null
            : $"a client id is 1 to {MaxClientIdLength} characters of A-Z, a-z, 0-9, '.', '_' and '-'";
    }

    private static string? DisplayNameProblem(string name) =>
        name.Trim().Length == 0 || name.Length > MaxDisplayNameLength || name.Any(char.IsControl)
            ? $"a display name is 1 to {MaxDisplayNameLength} characters, not blank, without control characters"
            : null;

    private static string? GrantTypeProblem(string grantType) =>
        OAuth.GrantTypes.All.Contains(grantType, StringComparer.Ordinal)
            ? null
            : $"'{grantType}' is not a grant type Tessera knows: {string.Join(", ", OAuth.GrantTypes.All)}";

    // One entry is one RFC 6749 §3.3 scope token (so a space inside an entry is refused too).
    private static string? ScopeProblem(string scope) =>
        Scopes.Parse(scope) is [var only] && only == scope && scope.Length <= 200
            ? null
            : $"'{scope}' is not a scope: one token of printable ASCII without spaces, '\"' or '\\' (RFC 6749 §3.3)";

    /// <summary>Checks each entry (reporting the first bad one), and returns the list without duplicates, in order.</summary>
    private static string[] CheckList(IReadOnlyList<string>? values, string field, string code, Func<string, string?> problemOf, List<ClientRegistrationProblem> problems)
    {
        if (values is null)
        {
            return [];
        }

        if (values.Count > MaxListLength)
        {
            problems.Add(new ClientRegistrationProblem(field, code, $"more than {MaxListLength} entries"));
            return [];
        }

        foreach (string value in values)
        {
            if (problemOf(value ?? string.Empty) is { } problem)
            {
                problems.Add(new ClientRegistrationProblem(field, code, problem));
                return [];
            }
        }

        return [.. values.Distinct(StringComparer.Ordinal)];
    }
}
