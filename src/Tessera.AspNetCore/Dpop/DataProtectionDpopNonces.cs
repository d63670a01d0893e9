using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Tessera.Dpop;

namespace Tessera.AspNetCore.Dpop;

/// <summary>
/// DPoP nonces (RFC 9449 §8) without server state: a nonce is the issue time (from
/// <see cref="TimeProvider"/>) protected by Data Protection, so every instance that shares the key
/// ring accepts every instance's nonces and no store is read. One nonce is handed out for a quarter of
/// <see cref="TesseraDpopOptions.NonceLifetime"/>, then a fresh one; each is accepted for the whole
/// lifetime, so a client that just received one is never told it is stale. Public so that a host
/// composing its own services (a resource server issuing nonces) can build one over its key ring.
/// </summary>
public sealed class DataProtectionDpopNonces : IDpopNonces
{
    private const string Purpose = "Tessera.Dpop.Nonce.v1";

    private readonly IDataProtector _protector;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    // One reference, swapped whole: requests read it concurrently, and a struct of two fields could be read half old, half new.
    private CurrentNonce? _current;

    /// <summary>Nonces protected by <paramref name="protection"/> (share its key ring across instances), valid for <see cref="TesseraDpopOptions.NonceLifetime"/> of <paramref name="options"/>.</summary>
    public DataProtectionDpopNonces(IDataProtectionProvider protection, TesseraDpopOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(protection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _protector = protection.CreateProtector(Purpose);
        _time = time;
        _lifetime = options.NonceLifetime;
    }

    /// <inheritdoc />
    public string Current()
    {
        DateTimeOffset now = Clock.Now(_time);
        CurrentNonce? held = _current;
        if (held is not null && now >= held.IssuedAt && now - held.IssuedAt < _lifetime / 4)
        {
            return held.Nonce;
        }

        Span<byte> stamp = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(stamp, now.ToUnixTimeMilliseconds());
        string nonce = Tessera.Jose.Encoding.StrictBase64Url.Encode(_protector.Protect(stamp.ToArray()));
        _current = new CurrentNonce(nonce, now);
        return nonce;
    }

    /// <inheritdoc />
    public bool IsValid(string nonce)
    {
        if (string.IsNullOrEmpty(nonce) || nonce.Length > 512)
        {
            return false;
        }

        byte[]? protectedBytes = Tessera.Jose.Encoding.StrictBase64Url.DecodeOrNull(nonce);
        if (protectedBytes is null)
        {
            return false;
        }

        byte[] stamp;
        try
        {
            stamp = _protector.Unprotect(protectedBytes);
        }
        catch (CryptographicException)
        {
            return false; // not ours, tampered, or its key was revoked
        }

        if (stamp.Length != 8)
        {
            return false;
        }

        DateTimeOffset issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(stamp));
        DateTimeOffset now = Clock.Now(_time);
        return issuedAt <= now + TimeSpan.FromSeconds(5) && now - issuedAt < _lifetime;
    }

    private sealed record CurrentNonce(string Nonce, DateTimeOffset IssuedAt);
}
