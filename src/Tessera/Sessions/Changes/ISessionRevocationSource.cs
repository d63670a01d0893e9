namespace Tessera.Sessions.Changes;

/// <summary>
/// Optional capability of a revocation list: every session id on it, so a
/// <see cref="PushedSessionRevocationList"/> can load the whole list after its feed reconnects
/// (it may have missed revocations meanwhile).
/// </summary>
public interface ISessionRevocationSource
{
    /// <summary>Every listed session id with how long it stays on the list; a step at a time, so the store stays responsive.</summary>
    IAsyncEnumerable<ListedRevocation> ReadAllAsync(CancellationToken cancellationToken);
}

/// <summary>One entry of a revocation list.</summary>
/// <param name="SessionId">The revoked session's id (<c>sid</c>).</param>
/// <param name="Remaining">How much longer it stays listed; null when the store does not say (the list's lifetime is used).</param>
public readonly record struct ListedRevocation(string SessionId, TimeSpan? Remaining);
