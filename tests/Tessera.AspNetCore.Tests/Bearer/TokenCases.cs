using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Jose.Keys;

namespace Tessera.AspNetCore.Tests.Bearer;

/// <summary>One set of tokens, each named, that every handler under test must judge alike.</summary>
public static class TokenCases
{
    /// <summary>Refused tokens and the JOSE code Tessera gives each.</summary>
    public static TheoryData<string, string> Refused => new()
    {
        { "tampered", "signature_invalid" },
        { "wrong-audience", "audience_invalid" },
        { "wrong-issuer", "issuer_invalid" },
        { "wrong-type", "type_invalid" },
        { "hs256-signed-with-the-public-key", "alg_not_allowed" },
        { "alg-none", "alg_not_allowed" },
        { "expired", "expired" },
        { "not-yet-valid", "not_yet_valid" },
        { "no-exp", "claim_missing" },
        { "unknown-key", "key_not_found" },
        { "garbage", "malformed" },
    };

    public static TheoryData<string> All
    {
        get
        {
            var all = new TheoryData<string> { "valid", "valid-with-several-audiences" };
            foreach (object[] row in Refused)
            {
                all.Add((string)row[0]);
            }

            return all;
        }
    }

    public static string Build(FakeIssuer issuer, TimeProvider time, string name)
    {
        DateTimeOffset now = time.GetUtcNow();
        return name switch
        {
            "valid" => issuer.Token(),
            "valid-with-several-audiences" => issuer.Token(d => d.Audiences = ["billing-api", FakeIssuer.Audience]),
            "tampered" => Tamper(issuer.Token()),
            "wrong-audience" => issuer.Token(d => d.Audiences = ["billing-api"]),
            "wrong-issuer" => issuer.Token(d => d.Issuer = "https://evil.example"),
            "wrong-type" => issuer.Token(d => d.Type = "JWT"),
            "hs256-signed-with-the-public-key" => issuer.Token(key: PublicKeyAsSecret(issuer.SigningKey), algorithm: "HS256"),
            "alg-none" => Unsigned(issuer.Token()),
            "expired" => issuer.Token(d => (d.IssuedAt, d.ExpiresAt) = (now.AddMinutes(-30), now.AddMinutes(-10))),
            "not-yet-valid" => issuer.Token(d => d.NotBefore = now.AddMinutes(5)),
            "issued-in-the-future" => issuer.Token(d => (d.IssuedAt, d.ExpiresAt) = (now.AddMinutes(10), now.AddMinutes(20))),
            "no-exp" => issuer.Token(d => d.ExpiresAt = null),
            "unknown-key" => issuer.Token(key: Jwk.Generate("ES256")),
            "garbage" => "not.a.token",
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such token case"),
        };
    }

    /// <summary>The classic confusion: the issuer's public key, as bytes, used as an HMAC secret, under the public key's kid.</summary>
    public static Jwk PublicKeyAsSecret(Jwk publicKey) =>
        OctetJwk.FromBytes(Encoding.UTF8.GetBytes(publicKey.ToPublicJwk().ToJson()), keyId: publicKey.EffectiveKeyId);

    /// <summary>The same token with <c>sub</c> changed after signing.</summary>
    public static string Tamper(string token)
    {
        string[] parts = token.Split('.');
        JsonObject payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        payload["sub"] = "mallory";
        return $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
    }

    /// <summary>The same claims under <c>alg: none</c>, with no signature.</summary>
    public static string Unsigned(string token)
    {
        string header = Base64Url.EncodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}"u8);
        return $"{header}.{token.Split('.')[1]}.";
    }
}
