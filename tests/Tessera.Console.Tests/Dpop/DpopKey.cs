using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Console.Tests.Dpop;

/// <summary>
/// A DPoP key held by the test itself (.NET's ECDsa, not the page's WebCrypto and not Tessera's own
/// JOSE code): it signs proofs as RFC 9449 §4.2 describes, so the thief in these tests has a
/// well-formed proof of its own (and a control shows the same code's proofs are accepted with the
/// key a token is bound to).
/// </summary>
internal sealed class DpopKey : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public JsonObject PublicJwk
    {
        get
        {
            ECParameters p = _key.ExportParameters(includePrivateParameters: false);
            return new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url(p.Q.X!), ["y"] = Base64Url(p.Q.Y!) };
        }
    }

    public string Thumbprint => ThumbprintOf(PublicJwk);

    /// <summary>RFC 7638 §3: SHA-256 over the required members (crv, kty, x, y for EC) in order, no whitespace.</summary>
    public static string ThumbprintOf(JsonNode jwk)
    {
        string canonical = $"{{\"crv\":\"{(string)jwk["crv"]!}\",\"kty\":\"{(string)jwk["kty"]!}\",\"x\":\"{(string)jwk["x"]!}\",\"y\":\"{(string)jwk["y"]!}\"}}";
        return Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>A proof for <paramref name="method"/> <paramref name="uri"/>, with ath when an access token is given.</summary>
    public string Proof(string method, Uri uri, string? accessToken = null, string? nonce = null)
    {
        var header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = "ES256", ["jwk"] = PublicJwk };
        var payload = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["htm"] = method,
            ["htu"] = uri.GetLeftPart(UriPartial.Path),
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            payload["ath"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }

        if (nonce is not null)
        {
            payload["nonce"] = nonce;
        }

        string input = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        // IEEE P1363 (r||s) is the JWS form of an ECDSA signature (RFC 7518 §3.4).
        byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64Url(signature);
    }

    /// <summary>The payload of a JWT, decoded without checking anything (the server checks; the test reads).</summary>
    public static JsonObject Payload(string jwt)
    {
        string part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonNode.Parse(Convert.FromBase64String(part))!.AsObject();
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => _key.Dispose();
}

/// <summary>The page's DPoP key as script sees it, read from IndexedDB by a script of the test's own.</summary>
internal sealed record PageKey(bool Extractable, string ExportError, JsonObject PublicJwk)
{
    public const string Script =
        """
        async () => {
          // Opening a database that does not exist would create it (empty): look first.
          if (!(await indexedDB.databases()).some(d => d.name === 'tessera-dpop')) return null;
          const db = await new Promise((resolve, reject) => { const open = indexedDB.open('tessera-dpop'); open.onsuccess = () => resolve(open.result); open.onerror = () => reject(open.error); });
          try {
            if (!db.objectStoreNames.contains('keys')) return null;
            const saved = await new Promise((resolve, reject) => { const get = db.transaction('keys').objectStore('keys').get('console'); get.onsuccess = () => resolve(get.result); get.onerror = () => reject(get.error); });
            if (!saved) return null;
            let exportError = 'none: exported';
            try { await crypto.subtle.exportKey('jwk', saved.privateKey); } catch (e) { exportError = e.name; }
            try { await crypto.subtle.exportKey('pkcs8', saved.privateKey); exportError += ', pkcs8 exported'; } catch { }
            const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', saved.publicKey);
            return { extractable: saved.privateKey.extractable, exportError, jwk: JSON.stringify({ kty, crv, x, y }) };
          } finally { db.close(); }
        }
        """;

    public static async Task<PageKey?> ReadAsync(Microsoft.Playwright.IPage page)
    {
        JsonElement? result = await page.EvaluateAsync<JsonElement?>(Script);
        if (result is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        return new PageKey(value.GetProperty("extractable").GetBoolean(), value.GetProperty("exportError").GetString()!, JsonNode.Parse(value.GetProperty("jwk").GetString()!)!.AsObject());
    }

    public string Thumbprint => DpopKey.ThumbprintOf(PublicJwk);
}
