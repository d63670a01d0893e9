using System.Text;
using System.Text.Json.Nodes;
using Tessera.Dpop;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;

namespace Tessera.AspNetCore.Tests.Dpop;

/// <summary>
/// A DPoP client's proofs (RFC 9449 §4.2), made with Tessera.Jose's signer: header
/// <c>{typ: "dpop+jwt", alg, jwk}</c>, claims <c>jti</c>, <c>htm</c>, <c>htu</c>, <c>iat</c> and,
/// with an access token, <c>ath</c>. Each part can be spoiled by a test.
/// </summary>
public sealed class DpopClient(Jwk key, TimeProvider time)
{
    /// <summary>A client with a fresh key of <paramref name="algorithm"/>.</summary>
    public DpopClient(TimeProvider time, string algorithm = "ES256")
        : this(Jwk.Generate(algorithm), time)
    {
    }

    public Jwk Key { get; } = key;

    /// <summary>The RFC 7638 thumbprint a token bound to this client carries in <c>cnf.jkt</c>.</summary>
    public string Thumbprint => Key.Thumbprint;

    /// <summary>
    /// A proof for <paramref name="method"/> <paramref name="uri"/>; <paramref name="change"/> may alter its claims,
    /// <paramref name="editClaimsText"/> their JSON text (for text a JSON writer never produces).
    /// </summary>
    public string Proof(string method, string uri, string? accessToken = null, string? nonce = null, Action<JsonObject>? change = null, string type = DpopTokenTypes.ProofType, Func<string, string>? editClaimsText = null)
    {
        var claims = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["htm"] = method,
            ["htu"] = uri,
            ["iat"] = time.GetUtcNow().ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            claims["ath"] = DpopProofValidator.AccessTokenHash(accessToken);
        }

        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        change?.Invoke(claims);
        var header = new JsonObject
        {
            ["typ"] = type,
            ["alg"] = Key.DefaultAlgorithm.Name,
            ["jwk"] = JsonNode.Parse(Key.ToPublicJwk().ToJson()),
        };
        return JwsSigner.SignWithHeader(Encoding.UTF8.GetBytes(header.ToJsonString()), Encoding.UTF8.GetBytes(editClaimsText is null ? claims.ToJsonString() : editClaimsText(claims.ToJsonString())), Key);
    }
}
