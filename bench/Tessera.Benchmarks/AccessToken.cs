namespace Tessera.Benchmarks;

/// <summary>
/// The one token every contender signs and validates: a typical OAuth access token with
/// iss, sub, aud, exp, iat, jti and a role. Times are fixed when a benchmark process starts.
/// </summary>
public sealed class AccessToken
{
    public const string Issuer = "https://id.tessera.example";
    public const string Audience = "https://api.tessera.example";
    public const string Subject = "user-2f9c41";
    public const string JwtId = "6d1f0c7e-3b7a-4c55-9a53-0f5c2a8e71d4";
    public const string RoleClaim = "role";
    public const string Role = "admin";

    /// <summary>Clock tolerance, the same for every validator.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    public AccessToken(DateTimeOffset now)
    {
        // Whole seconds, as NumericDate carries them, so every library writes the same numbers.
        IssuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        ExpiresAt = IssuedAt.AddHours(1);
    }

    public DateTimeOffset IssuedAt { get; }

    public DateTimeOffset ExpiresAt { get; }

    public long IssuedAtSeconds => IssuedAt.ToUnixTimeSeconds();

    public long ExpiresAtSeconds => ExpiresAt.ToUnixTimeSeconds();

    /// <summary>The claims as a name/value map, for the libraries that sign dictionaries.</summary>
    public Dictionary<string, object> ToDictionary() => new(StringComparer.Ordinal)
    {
        ["iss"] = Issuer,
        ["sub"] = Subject,
        ["aud"] = Audience,
        ["exp"] = ExpiresAtSeconds,
        ["iat"] = IssuedAtSeconds,
        ["jti"] = JwtId,
        [RoleClaim] = Role,
    };
}
