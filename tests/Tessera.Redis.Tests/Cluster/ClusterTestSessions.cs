using Tessera.Sessions;

namespace Tessera.Redis.Tests.Cluster;

/// <summary>Session records the cluster tests write through the store directly.</summary>
internal static class ClusterTestSessions
{
    /// <summary>A cookie session of <paramref name="userId"/> with a fresh secret, alive for a day (two at most).</summary>
    public static SessionRecord Cookie(string handle, string userId)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return new SessionRecord
        {
            Handle = handle,
            UserId = userId,
            SecretHash = SessionSecret.Generate().Hash,
            Kind = SessionKinds.Cookie,
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now.AddDays(1),
            AbsoluteExpiresAt = now.AddDays(2),
        };
    }
}
