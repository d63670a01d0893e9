using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Jose.Encoding;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;

namespace Tessera.Tests.Dpop;

/// <summary>
/// Builds DPoP proofs (RFC 9449 §4.2) the way a client does: header {typ, alg, jwk} and the claims
/// jti, htm, htu, iat (plus ath, nonce when asked), signed with Tessera.Jose's signer. Each test
/// changes one member through <see cref="Header"/> / <see cref="Claims"/> before signing.
/// </summary>
internal sealed class DpopProofs
{
    public DpopProofs(Jwk key, DateTimeOffset now, string method = "POST", string uri = "https://id.example.test/oauth2/token")
    {
        Key = key;
        Header = new JsonObject
        {
            ["typ"] = "dpop+jwt",
            ["alg"] = key.Algorithm ?? key.DefaultAlgorithm.Name,
            ["jwk"] = JsonNode.Parse(key.ToPublicJwk().ToJson()),
        };
        Claims = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["htm"] = method,
            ["htu"] = uri,
            ["iat"] = now.ToUnixTimeSeconds(),
        };
    }

    public Jwk Key { get; }

    public JsonObject Header { get; }

    public JsonObject Claims { get; }

    public string Sign() => Sign(Header.ToJsonString(), Claims.ToJsonString(), Key);

    /// <summary>Signs exactly these JSON texts (for headers and payloads a well-behaved client never writes).</summary>
    public static string Sign(string headerJson, string payloadJson, Jwk key) =>
        JwsSigner.SignWithHeader(Encoding.UTF8.GetBytes(headerJson), Encoding.UTF8.GetBytes(payloadJson), key);

    /// <summary>
    /// Signs with a raw P-256 key, bypassing Tessera's signer (which refuses headers a verifier must
    /// refuse, such as duplicate members): the attacker's side of a test.
    /// </summary>
    public static string SignRawEs256(ECDsa key, string headerJson, string payloadJson)
    {
        string input = StrictBase64Url.Encode(Encoding.UTF8.GetBytes(headerJson)) + "." + StrictBase64Url.Encode(Encoding.UTF8.GetBytes(payloadJson));
        byte[] signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + StrictBase64Url.Encode(signature);
    }

    /// <summary>The public JWK of a raw P-256 key, as JSON text.</summary>
    public static string PublicJwk(ECDsa key)
    {
        ECParameters p = key.ExportParameters(includePrivateParameters: false);
        return $"{{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"{StrictBase64Url.Encode(p.Q.X!)}\",\"y\":\"{StrictBase64Url.Encode(p.Q.Y!)}\"}}";
    }
}
