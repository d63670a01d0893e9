using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Tessera.AspNetCore.OAuth;
using Tessera.InMemory;
using Tessera.OAuth;
using Tessera.OAuth.Authorization;
using Tessera.OAuth.Registration;

namespace Tessera.Fuzz.Targets;

/// <summary>
/// The OAuth form bodies (application/x-www-form-urlencoded, as ReadFormAsync reads them) and what
/// checks them: the authorization request rules (RFC 6749 §4.1.1, OIDC Core §3.1.2), the redirect
/// URI and CORS origin rules, and <c>private_key_jwt</c> client assertions (RFC 7523). Documented:
/// <see cref="InvalidDataException"/> from the form reader past its limits (the endpoints answer
/// 400); nothing after it throws. Properties: a request that validates names a registered client
/// and one of its registered redirect URIs (RFC 9700 §4.1.3), and an error is sent to a redirect
/// URI only once the client is known.
/// </summary>
internal static class OAuthFormTarget
{
    private static readonly string[] Audiences = ["https://issuer.example", "https://issuer.example/oauth2/token"];

    private static readonly OAuthClient App = new()
    {
        ClientId = "app",
        DisplayName = "App",
        ClientType = ClientTypes.Public,
        TokenEndpointAuthMethod = ClientAuthMethods.None,
        RedirectUris = ["https://app.example/cb", "http://127.0.0.1/cb"],
        GrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken],
        Scopes = [Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess],
        CreatedAt = FixedTime.Default.GetUtcNow(),
    };

    private static readonly Lazy<OAuthClient> Service = new(() => new OAuthClient
    {
        ClientId = "joe",
        DisplayName = "Service",
        ClientType = ClientTypes.Confidential,
        TokenEndpointAuthMethod = ClientAuthMethods.PrivateKeyJwt,
        JwksJson = FuzzKeys.Public.ToJson(),
        GrantTypes = [GrantTypes.ClientCredentials],
        CreatedAt = FixedTime.Default.GetUtcNow(),
    });

    private static readonly Lazy<AuthorizationRequestValidator> Validator = new(() =>
    {
        var clients = new InMemoryClientStore();
        foreach (OAuthClient client in (OAuthClient[])[App, Service.Value])
        {
            if (!clients.TryCreateAsync(client, CancellationToken.None).AsTask().GetAwaiter().GetResult())
            {
                throw new InvalidOperationException($"client {client.ClientId} not created");
            }
        }

        return new AuthorizationRequestValidator(clients);
    });

    public static void Run(ReadOnlySpan<byte> input)
    {
        Dictionary<string, StringValues> form;
        try
        {
            using var reader = new FormReader(Encoding.UTF8.GetString(input));
            form = reader.ReadForm();
        }
        catch (InvalidDataException)
        {
            return;
        }

        var pairs = new List<KeyValuePair<string, string?>>();
        foreach ((string name, StringValues values) in form)
        {
            foreach (string? value in values)
            {
                pairs.Add(new(name, value));
                _ = RedirectUriRules.RedirectUriProblem(value);
                _ = RedirectUriRules.CorsOriginProblem(value);
            }
        }

        AuthorizationValidation validation = Validator.Value.ValidateAsync(pairs, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (validation.Succeeded)
        {
            AuthorizationRequest request = validation.Request!;
            FuzzPropertyException.Check(validation.Client?.ClientId == request.ClientId && request.ClientId == App.ClientId, "a valid request names the registered client");
            FuzzPropertyException.Check(IsRegistered(request.RedirectUri), $"a valid request's redirect URI is registered: {request.RedirectUri}");
        }
        else
        {
            FuzzPropertyException.Check(validation.Error is not null, "a refused request says why");
            FuzzPropertyException.Check(validation.RedirectTo is null || (validation.Client is not null && IsRegistered(validation.RedirectTo)),
                $"an error goes only to a registered redirect URI of a known client: {validation.RedirectTo}");
        }

        if (form.TryGetValue("client_assertion", out StringValues assertions) && assertions.Count == 1 && assertions[0] is { } assertion)
        {
            _ = ClientAssertionValidator.ClaimedClientId(assertion);
            var assertionValidator = new ClientAssertionValidator(new ClientAssertionReplayCache(new Tessera.InMemory.InMemoryReplayStore(FixedTime.Default), FixedTime.Default), FixedTime.Default);
            _ = assertionValidator.ProblemAsync(Service.Value, assertion, Audiences, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Exact match, or the loopback rule: http://127.0.0.1 on any port (RFC 8252 §7.3).</summary>
    private static bool IsRegistered(string redirectUri)
    {
        if (App.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            return true;
        }

        return Uri.TryCreate(redirectUri, UriKind.Absolute, out Uri? uri) && uri.IsLoopback
            && App.RedirectUris.Any(r => Uri.TryCreate(r, UriKind.Absolute, out Uri? registered) && registered.IsLoopback
                && registered.Scheme == uri.Scheme && registered.Host == uri.Host && registered.PathAndQuery == uri.PathAndQuery);
    }
}
