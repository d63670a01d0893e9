namespace Tessera.AspNetCore.RateLimiting;

/// <summary>What a limit does while the shared store that counts it (Redis) cannot be reached.</summary>
public enum ThrottleStoreOutage
{
    /// <summary>
    /// Refuse the request: 503 <c>store_unavailable</c> with Retry-After. For password guessing:
    /// an attacker who can slow Redis down must not lift the limit.
    /// </summary>
    Refuse,

    /// <summary>
    /// Count in this instance's memory until the store answers again: N instances then allow N
    /// times the budget, never an unbounded number, and the endpoint keeps working.
    /// </summary>
    CountLocally,
}
