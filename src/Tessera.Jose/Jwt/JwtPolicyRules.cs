using System.Collections.Frozen;
using System.Text;
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
        ValidIssuersUtf8 = Utf8Forms(ValidIssuers);
        ValidAudiencesUtf8 = Utf8Forms(ValidAudiences);
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

    /// <summary>
    /// The accepted issuers as UTF-8, to match an unescaped JSON string on its bytes; null when
    /// issuers are not checked, when there are too many for a linear scan, or when one of them is
    /// not well-formed UTF-16 (then the claims reader takes the general path).
    /// </summary>
    public AcceptedUtf8[]? ValidIssuersUtf8 { get; }

    /// <summary>The accepted audiences as UTF-8; null as for <see cref="ValidIssuersUtf8"/>.</summary>
    public AcceptedUtf8[]? ValidAudiencesUtf8 { get; }

    public string[] RequiredRegisteredClaims { get; }

    public string[] RequiredCustomClaims { get; }

    public long SkewSeconds { get; }

    public long? MaxAgeSeconds { get; }

    public TimeProvider TimeProvider { get; }

    // The claims reader hands back the policy's own instance for an accepted value: recognise it
    // by reference before hashing the string.
    public bool IsValidIssuer(string issuer) =>
        ValidIssuers is { } lookup && (IsAcceptedInstance(ValidIssuersUtf8, issuer) || lookup.Dictionary.ContainsKey(issuer));

    public bool IsValidAudience(string audience) =>
        ValidAudiences is { } lookup && (IsAcceptedInstance(ValidAudiencesUtf8, audience) || lookup.Dictionary.ContainsKey(audience));

    private static bool IsAcceptedInstance(AcceptedUtf8[]? accepted, string value)
    {
        if (accepted is not null)
        {
            foreach (AcceptedUtf8 candidate in accepted)
            {
                if (ReferenceEquals(candidate.Value, value))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static AcceptedUtf8[]? Utf8Forms(FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>>? lookup)
    {
        if (lookup is not { } values || values.Dictionary.Count > MaxLinearAccepted)
        {
            return null;
        }

        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        var forms = new List<AcceptedUtf8>(values.Dictionary.Count);
        foreach (string value in values.Dictionary.Values)
        {
            try
            {
                forms.Add(new AcceptedUtf8(strict.GetBytes(value), value));
            }
            catch (EncoderFallbackException)
            {
                return null;
            }
        }

        return forms.ToArray();
    }

    private const int MaxLinearAccepted = 8;

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

/// <summary>An accepted claim value and its UTF-8 form.</summary>
internal readonly record struct AcceptedUtf8(byte[] Utf8, string Value);
