namespace Tessera.OAuth;

/// <summary>
/// One-time authorization codes, shared by every instance. An unreachable store throws
/// <see cref="Stores.StoreUnavailableException"/>.
/// </summary>
public interface IAuthorizationCodeStore
{
    /// <summary>Stores a new code (by the hash of its value; never the value itself).</summary>
    ValueTask CreateAsync(AuthorizationCode code, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically marks the code redeemed at <paramref name="redeemedAt"/> by the session
    /// <paramref name="issuedSessionHandle"/> (chosen before the session is created), unless it
    /// already was. Returns the stored record as it was before this call (so
    /// <see cref="AuthorizationCode.RedeemedAt"/> not null means this call was a replay and changed
    /// nothing), or null when no such code exists.
    /// </summary>
    ValueTask<AuthorizationCode?> TryRedeemAsync(ReadOnlyMemory<byte> codeHash, DateTimeOffset redeemedAt, string issuedSessionHandle, CancellationToken cancellationToken);

    /// <summary>Removes codes that expired before <paramref name="before"/>; returns how many.</summary>
    ValueTask<int> PurgeExpiredAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
