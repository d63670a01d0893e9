using System.Globalization;
using Tessera.Sessions;

namespace Tessera.Modes.Tests.Hosting;

/// <summary>
/// What differs between the hosts of the suites: the binding and what a mismatch does. Everything
/// else is one configuration, chosen so the three modes can be compared step by step: a cookie
/// session and a token session go idle after the same <see cref="IdleTimeout"/>, and an access
/// token outlives it, so a call with an unexpired access token shows what the session says.
/// </summary>
public sealed record HostSettings(SessionBinding BindTo, SessionBindingAction OnBindingMismatch = SessionBindingAction.Revoke)
{
    /// <summary>The idle timeout of every session: <c>Sessions:IdleTimeout</c> for cookies, <c>Tokens:RefreshIdleLifetime</c> for tokens.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Longer than <see cref="IdleTimeout"/> on purpose: expiry and revocation must come from the session, not the token's own <c>exp</c>.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromHours(2);

    /// <summary>Past the refresh grace window (5 s by default): a replayed refresh token is reuse, not a lost answer.</summary>
    public static readonly TimeSpan PastReuseGraceWindow = TimeSpan.FromSeconds(6);

    /// <summary>Unbound sessions, revoked on mismatch (the defaults).</summary>
    public static HostSettings Unbound { get; } = new(SessionBinding.None);

    /// <summary>Bound to address and agent; a mismatch flags the session instead of ending it.</summary>
    public static HostSettings FlagOnMismatch { get; } = new(SessionBinding.Both, SessionBindingAction.Flag);

    /// <summary>The configuration keys the library's options are bound from (the same keys as the server's).</summary>
    public IReadOnlyDictionary<string, string?> Configuration() => new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        ["Tessera:Sessions:BindTo"] = BindTo.ToString(),
        ["Tessera:Sessions:OnBindingMismatch"] = OnBindingMismatch.ToString(),
        ["Tessera:Sessions:IdleTimeout"] = IdleTimeout.ToString("c", CultureInfo.InvariantCulture),
        ["Tessera:Tokens:RefreshIdleLifetime"] = IdleTimeout.ToString("c", CultureInfo.InvariantCulture),
        ["Tessera:Tokens:RefreshAbsoluteLifetime"] = "12:00:00",
        ["Tessera:Tokens:AccessTokenLifetime"] = AccessTokenLifetime.ToString("c", CultureInfo.InvariantCulture),
        // Cheap hashing: the default parameters are tested elsewhere.
        ["Tessera:Passwords:MemoryKiB"] = "1024",
        ["Tessera:Passwords:Iterations"] = "1",
        // One host serves a whole collection of tests from a few addresses.
        ["Tessera:RateLimits:SignInPerClient:PermitLimit"] = "1000000",
        ["Tessera:RateLimits:SignInPerAccount:PermitLimit"] = "1000000",
        ["Tessera:RateLimits:RegisterPerClient:PermitLimit"] = "1000000",
        ["Tessera:RateLimits:TokenPerClient:PermitLimit"] = "1000000",
    };
}
