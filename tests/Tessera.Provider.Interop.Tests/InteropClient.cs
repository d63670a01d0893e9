using System.Security.Cryptography;

namespace Tessera.Provider.Interop.Tests;

/// <summary>
/// A client the tests register with the provider (through configuration, <c>Tessera:Clients</c>),
/// as the JavaScript side knows it: id, secret (null for a public client), how it authenticates.
/// </summary>
public sealed record InteropClient
{
    public required string ClientId { get; init; }

    /// <summary><c>public</c> or <c>confidential</c> (RFC 6749 §2.1).</summary>
    public required string ClientType { get; init; }

    /// <summary><c>none</c>, <c>client_secret_basic</c> or <c>client_secret_post</c>.</summary>
    public required string AuthMethod { get; init; }

    public string? Secret { get; init; }

    public string? RedirectUri { get; init; }

    public IReadOnlyList<string> GrantTypes { get; init; } = ["authorization_code", "refresh_token"];

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>A 256-bit random secret, base64url, as Tessera's own would be.</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The server's command-line arguments that register this client (configuration keys).</summary>
    public IEnumerable<string> ConfigurationArguments()
    {
        string prefix = $"--Tessera:Clients:{ClientId}:";
        yield return prefix + "Type";
        yield return ClientType;
        yield return prefix + "TokenEndpointAuthMethod";
        yield return AuthMethod;
        if (Secret is not null)
        {
            yield return prefix + "Secret";
            yield return Secret;
        }

        foreach ((string key, IReadOnlyList<string> values) in new[] { ("RedirectUris", RedirectUri is null ? [] : (IReadOnlyList<string>)[RedirectUri]), ("GrantTypes", GrantTypes), ("Scopes", Scopes), ("CorsOrigins", CorsOrigins) })
        {
            for (int i = 0; i < values.Count; i++)
            {
                yield return $"{prefix}{key}:{i}";
                yield return values[i];
            }
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
