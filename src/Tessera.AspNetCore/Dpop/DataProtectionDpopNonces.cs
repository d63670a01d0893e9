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
/// lifetime, so a client that just received one is never told it is stale.
/// </summary>
internal sealed class DataProtectionDpopNonces : IDpopNonces
{
    private const string Purpose = "Tessera.Dpop.Nonce.v1";

    private readonly IDataProtector _protector;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private (string Nonce, DateTimeOffset IssuedAt)? _current;

    public DataProtectionDpopNonces(IDataProtectionProvider protection, TesseraDpopOptions options, TimeProvider time)
    {
        _protector = protection.CreateProtector(Purpose);
        _time = time;
        _lifetime = options.NonceLifetime;
    }

    public string Current()
    {
        DateTimeOffset now = Clock.Now(_time);
        (string Nonce, DateTimeOffset IssuedAt)? current = _current;
        if (current is { } held && now >= held.IssuedAt && now - held.IssuedAt < _lifetime / 4)
        {
            return held.Nonce;
        }

        Span<byte> stamp = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(stamp, now.ToUnixTimeMilliseconds());
        string nonce = Tessera.Jose.Encoding.StrictBase64Url.Encode(_protector.Protect(stamp.ToArray()));
        _current = (nonce, now);
        return nonce;
    }

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
}
