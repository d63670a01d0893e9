using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tessera.Benchmarks.Contenders;

/// <summary>
/// The least work any HS256 validator must do, as a yardstick: narrow the token to bytes, MAC the
/// signing input with an HMAC keyed once and reused, compare with the decoded signature in
/// constant time, decode the payload and read <c>exp</c>. No header check, no issuer or
/// audience, no strictness (framework base64url decoding, first <c>exp</c> wins), no claims object.
/// Not thread-safe (one keyed state); benchmarks are single-threaded.
/// </summary>
public sealed class Hs256Floor : IDisposable
{
    private const int MaxToken = 1024;
    private readonly IncrementalHash _hmac;

    public Hs256Floor(byte[] secret) => _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);

    /// <summary>The token's <c>exp</c> when the MAC is good and it has not expired; -1 otherwise.</summary>
    public long Validate(string token)
    {
        if (token.Length > MaxToken)
        {
            return -1;
        }

        // Buffers sized to the input: stack memory is zeroed, and the floor should not pay for more.
        Span<byte> utf8 = stackalloc byte[token.Length];
        if (Ascii.FromUtf16(token, utf8, out _) != OperationStatus.Done)
        {
            return -1;
        }

        int firstDot = utf8.IndexOf((byte)'.');
        int lastDot = utf8.LastIndexOf((byte)'.');
        if (firstDot < 0 || lastDot <= firstDot)
        {
            return -1;
        }

        Span<byte> mac = stackalloc byte[32];
        _hmac.AppendData(utf8[..lastDot]);
        _hmac.GetHashAndReset(mac);

        Span<byte> signature = stackalloc byte[48];
        if (Base64Url.DecodeFromUtf8(utf8[(lastDot + 1)..], signature, out _, out int signatureLength) != OperationStatus.Done
            || !CryptographicOperations.FixedTimeEquals(mac, signature[..signatureLength]))
        {
            return -1;
        }

        ReadOnlySpan<byte> encodedPayload = utf8[(firstDot + 1)..lastDot];
        Span<byte> payload = stackalloc byte[Base64Url.GetMaxDecodedLength(encodedPayload.Length)];
        if (Base64Url.DecodeFromUtf8(encodedPayload, payload, out _, out int payloadLength) != OperationStatus.Done)
        {
            return -1;
        }

        long exp = ReadExp(payload[..payloadLength]);
        return exp > DateTimeOffset.UtcNow.ToUnixTimeSeconds() - (long)AccessToken.ClockSkew.TotalSeconds ? exp : -1;
    }

    public void Dispose() => _hmac.Dispose();

    private static long ReadExp(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return -1;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isExp = reader.ValueTextEquals("exp"u8);
            reader.Read();
            if (isExp)
            {
                return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long exp) ? exp : -1;
            }

            reader.Skip();
        }

        return -1;
    }
}
