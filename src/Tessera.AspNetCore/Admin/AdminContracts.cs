using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Tessera.OAuth;
using Tessera.OAuth.Registration;
using Tessera.Users;

namespace Tessera.AspNetCore.Admin;

/// <summary>
/// A client as the admin API takes it (POST, PUT): the registration fields, named as in the
/// responses. <c>jwks</c> is a JWK Set object (private_key_jwt only). Omitted members take the
/// defaults of <see cref="ClientRegistrationRules"/>. No secret: Tessera generates them.
/// </summary>
public sealed record AdminClientRequest(
    string? ClientId,
    string? DisplayName,
    string? ClientType,
    string? TokenEndpointAuthMethod,
    JsonElement? Jwks,
    string[]? RedirectUris,
    string[]? PostLogoutRedirectUris,
    string[]? GrantTypes,
    string[]? Scopes,
    string[]? CorsOrigins,
    bool? RequireConsent,
    string? IdTokenSignedResponseAlg)
{
    /// <summary>
    /// Why <see cref="Jwks"/> cannot be taken as text, or null. System.Text.Json leaves the UTF-8 of
    /// a <see cref="JsonElement"/>'s raw bytes unchecked until they are read as text, so a byte such
    /// as 0x95 in a member name would make <see cref="ToRegistration"/> throw: ask this first.
    /// </summary>
    public TesseraError? JwksProblem() =>
        Jwks is { } jwks && !Utf8.IsValid(JsonMarshal.GetRawUtf8Value(jwks))
            ? new TesseraError(TesseraErrorCodes.ClientJwksInvalid, "the JWK Set is not valid UTF-8 (RFC 8259 section 8.1)")
            : null;

    /// <summary>The registration these fields ask for.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Jwks"/> is not valid UTF-8 (see <see cref="JwksProblem"/>).</exception>
    public ClientRegistrationRequest ToRegistration(string? clientId = null) => new()
    {
        ClientId = clientId ?? ClientId,
        DisplayName = DisplayName,
        ClientType = ClientType,
        TokenEndpointAuthMethod = TokenEndpointAuthMethod,
        // null or JSON null: no key set; anything else is checked as one (an array or string is refused there).
        JwksJson = Jwks is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } jwks ? jwks.GetRawText() : null,
        RedirectUris = RedirectUris,
        PostLogoutRedirectUris = PostLogoutRedirectUris,
        GrantTypes = GrantTypes,
        Scopes = Scopes,
        CorsOrigins = CorsOrigins,
        RequireConsent = RequireConsent,
        IdTokenSignedResponseAlg = IdTokenSignedResponseAlg,
    };
}

/// <summary>
/// A client as the admin API shows it: never a secret hash; <c>secretCount</c> says how many
/// secrets are valid (two during a rotation). <c>clientSecret</c> appears once, in the answer that
/// created it (registration, rotation): store it then, it cannot be read again.
/// </summary>
public sealed record AdminClientResponse(
    string ClientId,
    string DisplayName,
    string ClientType,
    string TokenEndpointAuthMethod,
    JsonElement? Jwks,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> CorsOrigins,
    bool RequireConsent,
    string IdTokenSignedResponseAlg,
    DateTimeOffset CreatedAt,
    int SecretCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientSecret = null)
{
    /// <summary>The admin view of <paramref name="client"/>; <paramref name="newSecret"/> only in the answer that created or rotated it, shown once.</summary>
    public static AdminClientResponse From(OAuthClient client, string? newSecret = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        JsonElement? jwks = client.JwksJson is { } json ? JsonDocument.Parse(json).RootElement.Clone() : null;
        return new(client.ClientId, client.DisplayName, client.ClientType, client.TokenEndpointAuthMethod, jwks,
            client.RedirectUris, client.PostLogoutRedirectUris, client.GrantTypes, client.Scopes, client.CorsOrigins,
            client.RequireConsent, client.IdTokenSignedResponseAlg, client.CreatedAt, client.SecretHashes.Count, newSecret);
    }

    // Records print their members; a secret must never reach a log through ToString.
    /// <summary>Names the client only: a new secret must never reach a log.</summary>
    public override string ToString() => $"AdminClientResponse {{ ClientId = {ClientId} }}";
}

/// <summary><c>{"keepPrevious": true}</c> keeps the newest previous secret valid beside the new one.</summary>
public sealed record AdminRotateSecretRequest(bool? KeepPrevious);

/// <summary><c>{"roles": [...]}</c>: the user's roles, replacing the previous ones.</summary>
public sealed record AdminRolesRequest(string[]? Roles);

/// <summary>A user's roles as the admin API answers them.</summary>
/// <param name="UserId">The user's id.</param>
/// <param name="Username">The user's name, for display.</param>
/// <param name="Roles">Every role the user holds now.</param>
public sealed record AdminRolesResponse(string UserId, string Username, IReadOnlyList<string> Roles)
{
    /// <summary>The roles of <paramref name="user"/>.</summary>
    public static AdminRolesResponse From(UserRecord user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.Id, user.Username, user.Roles);
    }
}
