namespace Tessera.Keys;

/// <summary>
/// The key ring holds a key this instance cannot decrypt: the Data Protection keys that protected
/// it are missing (a lost key folder) or different (instances that share a store but not their
/// Data Protection keys). Tokens cannot be issued or refreshed until that is mended; the HTTP layer
/// answers 503 <c>key_ring_unavailable</c>, and the server refuses to start with it.
/// </summary>
public sealed class KeyRingUnavailableException : InvalidOperationException
{
    /// <summary>The key ring cannot be used, for an unspecified reason.</summary>
    public KeyRingUnavailableException()
    {
    }

    /// <summary>The key ring cannot be used; <paramref name="message"/> says why, for the operator.</summary>
    public KeyRingUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>The key ring cannot be used because of <paramref name="innerException"/> (a store or decryption failure).</summary>
    public KeyRingUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The id of the key that could not be decrypted.</summary>
    public string? KeyId { get; init; }

    internal static KeyRingUnavailableException For(SigningKeyRecord key, Exception cause) => new(
        $"the {(key.Use == SigningKeyUses.Signing ? "signing key" : "refresh secret")} {key.KeyId} of the key ring cannot be decrypted: "
        + "the Data Protection keys that protected it are missing or not shared with this instance. Restore them (instances that share a store "
        + $"must share their Data Protection keys), or retire the key (`tessera key retire {key.KeyId} --data DIR`) so that a new one is made; "
        + "tokens it signed stop verifying once it leaves the JWKS.", cause)
    {
        KeyId = key.KeyId,
    };
}
