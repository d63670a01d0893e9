using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Dpop;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;
using Tessera.Keys;

namespace Tessera.Server.Tests.Dpop.Resource;

/// <summary>
/// DPoP helpers for the server's own APIs: a client key that makes proofs (RFC 9449 §4.2, signed with
/// Tessera.Jose), and a token from <c>/auth/token</c> re-signed by the server's own key ring with
/// <c>cnf.jkt</c> added, as a DPoP token endpoint issues it (RFC 9449 §6.1), until the token
/// endpoints bind tokens themselves.
/// </summary>
internal sealed class ServerDpop(TestServerFactory server)
{
    public const string Origin = "https://localhost";

    public Jwk Key { get; } = Jwk.Generate("ES256");

    public string Thumbprint => Key.Thumbprint;

    /// <summary>The access token of a fresh sign-in, bound to <see cref="Key"/> (or <paramref name="thumbprint"/>), with <paramref name="scope"/> when given.</summary>
    public async Task<string> BoundTokenAsync(HttpClient client, string username, string? scope = null, string? thumbprint = null)
    {
        string token = (await Tokens.TokenHttp.RegisterAndSignInForTokensAsync(client, username)).GetProperty("access_token").GetString()!;
        return await RebindAsync(token, thumbprint ?? Thumbprint, scope);
    }

    /// <summary><paramref name="token"/>'s claims plus <c>cnf.jkt</c> (and <paramref name="scope"/>), signed again by the server's current key under the same header.</summary>
    public async Task<string> RebindAsync(string token, string? thumbprint, string? scope = null)
    {
        string[] parts = token.Split('.');
        JsonObject payload = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        if (thumbprint is not null)
        {
            payload["cnf"] = new JsonObject { ["jkt"] = thumbprint };
        }

        if (scope is not null)
        {
            payload["scope"] = scope;
        }

        KeyRingSnapshot ring = await server.Services.GetRequiredService<SigningKeyRing>().GetAsync(CancellationToken.None);
        byte[] header = System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]);
        return JwsSigner.SignWithHeader(header, Encoding.UTF8.GetBytes(payload.ToJsonString()), ring.SigningKey);
    }

    /// <summary>A proof by <see cref="Key"/> (or <paramref name="key"/>) for <paramref name="method"/> <paramref name="path"/> on this server, with <c>ath</c> of <paramref name="accessToken"/>.</summary>
    public string Proof(string method, string path, string? accessToken, string? nonce = null, Jwk? key = null)
    {
        Jwk signer = key ?? Key;
        var claims = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["htm"] = method,
            ["htu"] = Origin + path,
            ["iat"] = server.Time.GetUtcNow().ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            claims["ath"] = DpopProofValidator.AccessTokenHash(accessToken);
        }

        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        var header = new JsonObject { ["typ"] = DpopTokenTypes.ProofType, ["alg"] = "ES256", ["jwk"] = JsonNode.Parse(signer.ToPublicJwk().ToJson()) };
        return JwsSigner.SignWithHeader(Encoding.UTF8.GetBytes(header.ToJsonString()), Encoding.UTF8.GetBytes(claims.ToJsonString()), signer);
    }

    /// <summary>A request with <c>Authorization: {scheme} {token}</c> and the given proofs.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string scheme, string token, params string[] proofs)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        foreach (string proof in proofs)
        {
            request.Headers.Add(DpopTokenTypes.ProofHeader, proof);
        }

        return request;
    }
}
