using System.Threading.RateLimiting;

namespace Tessera.AspNetCore.RateLimiting;

/// <summary>The answer of a limit counted in an <see cref="Tessera.Throttling.IThrottleStore"/>: granted, or refused until the window ends.</summary>
internal sealed class ThrottleLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
{
    public static readonly ThrottleLease Granted = new(true, null);

    /// <summary>What a synchronous attempt answers: the count lives in a store, so only the asynchronous path can ask it.</summary>
    public static readonly ThrottleLease NotAttempted = new(false, null);

    public override bool IsAcquired => acquired;

    public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (retryAfter is { } wait && string.Equals(metadataName, MetadataName.RetryAfter.Name, StringComparison.Ordinal))
        {
            metadata = wait;
            return true;
        }

        metadata = null;
        return false;
    }
}
