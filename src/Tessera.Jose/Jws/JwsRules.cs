using System.Collections.Frozen;
using Tessera.Jose.Algorithms;

namespace Tessera.Jose.Jws;

/// <summary>The header-level rules one verification applies, resolved once from the caller's options.</summary>
internal sealed class JwsRules
{
    public JwsRules(IReadOnlyCollection<string>? allowedAlgorithms, string? requiredType, int maxTokenLength, IReadOnlyCollection<string>? understoodCriticalHeaders)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokenLength, 16);
        AllowedAlgorithms = allowedAlgorithms is null ? null : JwsAlgorithms.ResolveAllowList(allowedAlgorithms);
        RequiredType = requiredType is null ? null : JwsTypes.Normalize(requiredType);
        MaxTokenLength = maxTokenLength;
        UnderstoodCriticalHeaders = (understoodCriticalHeaders ?? []).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Null: whatever each key permits (its own <c>alg</c>, or its type's algorithms).</summary>
    public FrozenSet<JwsAlgorithm>? AllowedAlgorithms { get; }

    /// <summary>The expected <c>typ</c>, without any <c>application/</c> prefix; null: not checked.</summary>
    public string? RequiredType { get; }

    public int MaxTokenLength { get; }

    public FrozenSet<string> UnderstoodCriticalHeaders { get; }

    /// <summary>Headers of tokens that verified under these rules, so that a repeated header is read once.</summary>
    public VerifiedHeaderCache VerifiedHeaders { get; } = new();
}
