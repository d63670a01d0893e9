using System.Collections.Frozen;
using Tessera.Jose.Jws;

namespace Tessera.Jose.Jwt;

/// <summary>A <see cref="JwtValidationPolicy"/> resolved for fast use: sets frozen, names checked.</summary>
internal sealed class JwtPolicyRules
{
    private static readonly HashSet<string> Registered = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

    public JwtPolicyRules(JwtValidationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(policy.TimeProvider);
        ArgumentNullException.ThrowIfNull(policy.RequiredClaims);
        if (policy.ClockSkew < TimeSpan.Zero || policy.MaxTokenAge <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(policy), "ClockSkew must not be negative and MaxTokenAge must be positive.");
        }

        Jws = new JwsRules(policy.AllowedAlgorithms, policy.RequiredType, policy.MaxTokenLength, policy.UnderstoodCriticalHeaders);
        ValidIssuers = Lookup(policy.ValidIssuers, nameof(policy.ValidIssuers));
        ValidAudiences = Lookup(policy.ValidAudiences, nameof(policy.ValidAudiences));
        RequiredRegisteredClaims = policy.RequiredClaims.Where(Registered.Contains).Distinct(StringComparer.Ordinal).ToArray();
        RequiredCustomClaims = policy.RequiredClaims.Where(c => !Registered.Contains(c)).Distinct(StringComparer.Ordinal).ToArray();
        if (policy.MaxTokenAge is not null && !RequiredRegisteredClaims.Contains("iat"))
        {
            RequiredRegisteredClaims = [.. RequiredRegisteredClaims, "iat"];
        }

        if (RequiredCustomClaims.Length > 32)
        {
            throw new ArgumentException("At most 32 custom claims can be required.", nameof(policy));
        }

        SkewSeconds = (long)policy.ClockSkew.TotalSeconds;
        MaxAgeSeconds = policy.MaxTokenAge is TimeSpan age ? (long)age.TotalSeconds : null;
        TimeProvider = policy.TimeProvider;
    }

    public JwsRules Jws { get; }

    public FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>>? ValidIssuers { get; }

    public FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>>? ValidAudiences { get; }

    public string[] RequiredRegisteredClaims { get; }

    public string[] RequiredCustomClaims { get; }

    public long SkewSeconds { get; }

    public long? MaxAgeSeconds { get; }

    public TimeProvider TimeProvider { get; }

    public bool IsValidIssuer(string issuer) => ValidIssuers is { } lookup && lookup.Dictionary.ContainsKey(issuer);

    public bool IsValidAudience(string audience) => ValidAudiences is { } lookup && lookup.Dictionary.ContainsKey(audience);

    private static FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>>? Lookup(IReadOnlyCollection<string>? values, string name)
    {
        if (values is null)
        {
            return null;
        }

        if (values.Count == 0 || values.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException($"{name} must be null (not checked) or non-empty strings.", name);
        }

        return values.Distinct(StringComparer.Ordinal)
            .ToFrozenDictionary(v => v, v => v, StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
