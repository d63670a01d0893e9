using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>The keys a token is checked against, with the validator built for their issuer.</summary>
internal sealed record BearerKeys(JwkSet Keys, JwtValidator Validator, string Issuer);

/// <summary>Keys, or why there are none.</summary>
internal readonly record struct BearerKeysResult(BearerKeys? Keys, BearerFailure? Failure)
{
    public static implicit operator BearerKeysResult(BearerKeys keys) => new(keys, null);
}

/// <summary>Where the handler gets its keys: fixed ones, or the issuer's JWKS through discovery.</summary>
internal abstract class BearerKeySource
{
    /// <summary>The keys to try a token with.</summary>
    public abstract ValueTask<BearerKeysResult> GetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A token named a key id that <paramref name="seen"/> lacks: fetch again if allowed (the
    /// issuer may have rotated), else answer what is there.
    /// </summary>
    public abstract ValueTask<BearerKeysResult> RefreshForUnknownKeyAsync(BearerKeys seen, CancellationToken cancellationToken);
}

internal sealed class StaticKeySource(BearerKeys keys) : BearerKeySource
{
    public override ValueTask<BearerKeysResult> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult<BearerKeysResult>(keys);

    public override ValueTask<BearerKeysResult> RefreshForUnknownKeyAsync(BearerKeys seen, CancellationToken cancellationToken) => ValueTask.FromResult<BearerKeysResult>(keys);
}
