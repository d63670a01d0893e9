using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Cli.Tests.Support;

/// <summary>Tokens made with the library directly, so verify tests do not depend on <c>jwt sign</c>.</summary>
public static class TestTokens
{
    /// <summary>A fixed instant the tests reason about: 2030-01-01T00:00:00Z.</summary>
    public const long Now = 1_893_456_000;

    public static string NowArg => Now.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A token valid from <see cref="Now"/> - 60 s until <see cref="Now"/> + 600 s, with iss and aud set.</summary>
    public static string Sign(Jwk key, Action<JwtDescriptor>? customize = null, string? algorithm = null)
    {
        var descriptor = new JwtDescriptor
        {
            Issuer = "https://issuer.example",
            Subject = "alice",
            Audiences = ["api"],
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds(Now - 60),
            ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(Now + 600),
        };
        customize?.Invoke(descriptor);
        return JwtSigner.Sign(descriptor, key, algorithm);
    }

    /// <summary>A JWK Set of the public forms of <paramref name="keys"/>.</summary>
    public static string PublicSet(params Jwk[] keys) => new JwkSet(keys.Select(k => k.ToPublicJwk())).ToJson();
}
