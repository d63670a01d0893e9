using System.Globalization;

namespace Tessera.OAuth.Authorization;

/// <summary>
/// Checks an authorization request (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2.1 and §3.1.2.2, OAuth
/// 2.1). First the two things that decide where an error may go: the client (registered) and the
/// redirect URI (one of the client's, compared exactly, RFC 9700 §4.1.3); failing either is an error
/// page. Everything after that is an error sent back to the verified redirect URI.
/// </summary>
public sealed class AuthorizationRequestValidator(IClientStore clients)
{
    /// <summary>No parameter of a request that travels in a URL needs more; longer values are refused.</summary>
    public const int MaximumParameterLength = 2048;

    private const string ClientIdParameter = "client_id";
    private const string RedirectUriParameter = "redirect_uri";

    /// <summary>
    /// The outcome for <paramref name="parameters"/> (query or form pairs, in order, repeats included).
    /// RFC 6749 §3.1: a parameter without a value counts as absent; none may appear twice.
    /// </summary>
    public async ValueTask<AuthorizationValidation> ValidateAsync(IEnumerable<KeyValuePair<string, string?>> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Dictionary<string, List<string>> values = Group(parameters);

        if (!values.TryGetValue(ClientIdParameter, out List<string>? clientIds) || clientIds.Count != 1)
        {
            return AuthorizationValidation.Page(AuthorizationErrors.InvalidRequest,
                clientIds is null ? "The request does not name a client (client_id is missing)." : "The request names client_id more than once.");
        }

        OAuthClient? client = clientIds[0].Length <= MaximumParameterLength ? await clients.FindAsync(clientIds[0], cancellationToken).ConfigureAwait(false) : null;
        if (client is null)
        {
            return AuthorizationValidation.Page(AuthorizationErrors.InvalidRequest, "No application is registered with this client_id.");
        }

        string? redirectUri = RedirectUriOf(client, values, out string? redirectProblem);
        if (redirectUri is null)
        {
            return AuthorizationValidation.Page(AuthorizationErrors.InvalidRequest, redirectProblem!, client);
        }

        // From here on the client and its redirect URI are verified: errors go back to the client.
        string? state = values.TryGetValue("state", out List<string>? states) && states.Count == 1 && states[0].Length <= MaximumParameterLength ? states[0] : null;
        string responseMode = ResponseModes.Query;
        if (values.TryGetValue("response_mode", out List<string>? modes))
        {
            if (modes.Count != 1 || !ResponseModes.All.Contains(modes[0], StringComparer.Ordinal))
            {
                return Fail(AuthorizationErrors.InvalidRequest, "response_mode must be query or form_post.");
            }

            responseMode = modes[0];
        }

        AuthorizationValidation Fail(string error, string description) =>
            AuthorizationValidation.Redirect(client, redirectUri, state, responseMode, error, description);

        foreach ((string name, List<string> list) in values)
        {
            if (list.Count > 1)
            {
                return Fail(AuthorizationErrors.InvalidRequest, KnownName(name, "A parameter") + " is sent more than once (RFC 6749 section 3.1).");
            }

            if (list[0].Length > MaximumParameterLength)
            {
                return Fail(AuthorizationErrors.InvalidRequest, KnownName(name, "A parameter") + $" is longer than {MaximumParameterLength} characters.");
            }
        }

        string? Single(string name) => values.TryGetValue(name, out List<string>? list) ? list[0] : null;

        if (Single("request") is not null)
        {
            return Fail(AuthorizationErrors.RequestNotSupported, "Request objects (the request parameter) are not supported.");
        }

        if (Single("request_uri") is not null)
        {
            return Fail(AuthorizationErrors.RequestUriNotSupported, "The request_uri parameter is not supported.");
        }

        string? responseType = Single("response_type");
        if (responseType is null)
        {
            return Fail(AuthorizationErrors.InvalidRequest, "response_type is required.");
        }

        if (!string.Equals(responseType, "code", StringComparison.Ordinal))
        {
            return Fail(AuthorizationErrors.UnsupportedResponseType, "Only response_type=code is supported (OAuth 2.1).");
        }

        if (!client.GrantTypes.Contains(GrantTypes.AuthorizationCode, StringComparer.Ordinal))
        {
            return Fail(AuthorizationErrors.UnauthorizedClient, "This client may not use the authorization code grant.");
        }

        IReadOnlyList<string>? scopes = Scopes.Parse(Single("scope"));
        if (scopes is null)
        {
            return Fail(AuthorizationErrors.InvalidScope, "The scope holds characters RFC 6749 section 3.3 does not allow.");
        }

        if (scopes.Count == 0)
        {
            return Fail(AuthorizationErrors.InvalidScope, "scope is required.");
        }

        string[] notAllowed = [.. scopes.Where(s => !client.Scopes.Contains(s, StringComparer.Ordinal))];
        if (notAllowed.Length > 0)
        {
            return Fail(AuthorizationErrors.InvalidScope, $"This client may not ask for: {string.Join(' ', notAllowed)}.");
        }

        // RFC 9700 §2.1.1 and OAuth 2.1: PKCE for every client, and only S256 (plain shows the verifier to whoever sees this request).
        string? challenge = Single("code_challenge");
        string? method = Single("code_challenge_method");
        if (challenge is null)
        {
            return Fail(AuthorizationErrors.InvalidRequest, "code_challenge is required (PKCE with S256).");
        }

        if (!string.Equals(method, Pkce.S256, StringComparison.Ordinal))
        {
            return Fail(AuthorizationErrors.InvalidRequest, method is null
                ? "code_challenge_method is required and must be S256 (the default, plain, is not accepted)."
                : "code_challenge_method must be S256.");
        }

        if (!Pkce.IsValidChallenge(challenge))
        {
            return Fail(AuthorizationErrors.InvalidRequest, "code_challenge must be the base64url SHA-256 of the verifier (43 characters).");
        }

        IReadOnlyList<string>? prompt = ParsePrompt(Single("prompt"));
        if (prompt is null)
        {
            return Fail(AuthorizationErrors.InvalidRequest, "prompt must be none, or any of login, consent and select_account (OpenID Connect Core section 3.1.2.1).");
        }

        long? maxAge = null;
        if (Single("max_age") is { } maxAgeText)
        {
            if (!long.TryParse(maxAgeText, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
            {
                return Fail(AuthorizationErrors.InvalidRequest, "max_age must be a number of seconds.");
            }

            maxAge = seconds;
        }

        // RFC 9449 §10: dpop_jkt is the RFC 7638 SHA-256 thumbprint, base64url (43 characters, like an S256 challenge).
        string? dpopJkt = Single("dpop_jkt");
        if (dpopJkt is not null && !Pkce.IsValidChallenge(dpopJkt))
        {
            return Fail(AuthorizationErrors.InvalidRequest, "dpop_jkt must be the base64url SHA-256 JWK thumbprint of the DPoP key (43 characters, RFC 9449 section 10).");
        }

        return AuthorizationValidation.Valid(new AuthorizationRequest
        {
            DpopKeyThumbprint = dpopJkt,
            ClientId = client.ClientId,
            RedirectUri = redirectUri,
            Scopes = scopes,
            State = state,
            Nonce = Single("nonce"),
            CodeChallenge = challenge,
            Prompt = prompt,
            MaxAge = maxAge,
            LoginHint = Single("login_hint"),
            ResponseMode = responseMode,
        }, client);
    }

    /// <summary>
    /// The redirect URI: the one sent when it is one of the client's, character for character (no
    /// prefix, case, path, query or fragment leeway, RFC 9700 §4.1.3); the client's only one when
    /// none was sent (RFC 6749 §3.1.2.3). Null, with the reason, otherwise.
    /// </summary>
    /// <summary>
    /// "The parameter NAME" when NAME looks like a parameter (lowercase letters and '_'); otherwise
    /// <paramref name="fallback"/>: error_description is limited to a few ASCII characters (RFC 6749
    /// §4.1.2.1) and clients show it, so the caller's own text is never echoed back.
    /// </summary>
    private static string KnownName(string name, string fallback) =>
        name.Length is > 0 and <= 32 && name.All(static c => c is (>= 'a' and <= 'z') or '_') ? $"The parameter {name}" : fallback;

    private static string? RedirectUriOf(OAuthClient client, Dictionary<string, List<string>> values, out string? problem)
    {
        problem = null;
        if (!values.TryGetValue(RedirectUriParameter, out List<string>? sent))
        {
            if (client.RedirectUris.Count == 1)
            {
                return client.RedirectUris[0];
            }

            problem = "redirect_uri is required: this application has more than one.";
            return null;
        }

        if (sent.Count != 1)
        {
            problem = "The request names redirect_uri more than once.";
            return null;
        }

        foreach (string registered in client.RedirectUris)
        {
            if (string.Equals(registered, sent[0], StringComparison.Ordinal) || LoopbackRedirectUris.SameButPort(registered, sent[0]))
            {
                // The URI the client sent: the token request must repeat it exactly (RFC 6749 §4.1.3).
                return sent[0];
            }
        }

        problem = "The redirect_uri is not one registered for this application.";
        return null;
    }

    /// <summary>The distinct prompt values; null when one is unknown or <c>none</c> comes with another (OIDC Core §3.1.2.1).</summary>
    private static IReadOnlyList<string>? ParsePrompt(string? prompt)
    {
        IReadOnlyList<string>? values = Scopes.Parse(prompt);
        if (values is null || values.Any(v => !Prompts.All.Contains(v, StringComparer.Ordinal)))
        {
            return null;
        }

        return values.Contains(Prompts.None, StringComparer.Ordinal) && values.Count > 1 ? null : values;
    }

    private static Dictionary<string, List<string>> Group(IEnumerable<KeyValuePair<string, string?>> parameters)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach ((string name, string? value) in parameters)
        {
            // RFC 6749 §3.1: "Parameters sent without a value MUST be treated as if they were omitted."
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (!values.TryGetValue(name, out List<string>? list))
            {
                values[name] = list = [];
            }

            list.Add(value);
        }

        return values;
    }
}
