using System.Buffers;
using System.Text.Json;
using Tessera.Jose.Json;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Jwt;

/// <summary>Signs JWTs as JWS compact serializations (RFC 7519 §7.1).</summary>
public static class JwtSigner
{
    /// <summary>Signs <paramref name="descriptor"/> with <paramref name="key"/>; <paramref name="algorithm"/> defaults to the key's.</summary>
    public static string Sign(JwtDescriptor descriptor, Jwk key, string? algorithm = null)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(key);
        var payload = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(payload, StrictJson.WriterOptions))
        {
            descriptor.WriteTo(writer);
        }

        return JwsSigner.Sign(payload.WrittenSpan, key, new JwsSigningOptions { Algorithm = algorithm, Type = descriptor.Type });
    }
}
