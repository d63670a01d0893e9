using System.Net;
using System.Text.Json.Nodes;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.Jose.Keys;

namespace Tessera.AspNetCore.Tests.Bearer;

/// <summary>
/// What fixed <see cref="TesseraBearerOptions.Keys"/> may be trusted for. RFC 8725 §3.8: the
/// issuer is checked, so a host with fixed keys names it (or opts out knowingly); §3.1: an RSA key
/// whose JWK names no <c>alg</c> verifies one algorithm, not whichever a token's header picks.
/// </summary>
public sealed class BearerKeyPolicyTests : BearerTestBase
{
    [Fact]
    public async Task FixedKeysWithoutAnIssuerStopTheHostAtStart()
    {
        InvalidOperationException refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ResourceServer.StartAsync(o =>
        {
            o.Keys = JwkSet.Of(Issuer.SigningKey.ToPublicJwk());
            o.Audience = FakeIssuer.Audience;
        }));
        Assert.Contains("ValidIssuer", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowAnyIssuerIsTheExplicitOptOut()
    {
        await using ResourceServer api = await ResourceServer.StartAsync(o =>
        {
            o.Keys = JwkSet.Of(Issuer.SigningKey.ToPublicJwk());
            o.Audience = FakeIssuer.Audience;
            o.AllowAnyIssuer = true;
        });

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token(d => d.Issuer = "https://other.example"))).StatusCode);
    }

    [Fact]
    public async Task RsaKeyWithoutAlgAcceptsRs256ButNotAnotherRsaAlgorithmTheTokenPicks()
    {
        Jwk rsa = WithoutAlg(Jwk.Generate("RS256", keyId: "rsa-no-alg"));
        Assert.Null(rsa.Algorithm);
        await using ResourceServer api = await ResourceServer.StartAsync(o =>
        {
            o.Keys = JwkSet.Of(rsa.ToPublicJwk());
            o.ValidIssuer = Issuer.Authority;
            o.Audience = FakeIssuer.Audience;
        });

        // The default allow-list names every RS* and PS*: none of them is the key's one algorithm but RS256.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token(key: rsa, algorithm: "RS256"))).StatusCode);
        foreach (string other in (string[])["PS256", "RS512", "PS512"])
        {
            await AssertRefusedAsync(await api.GetAsync("/me", Issuer.Token(key: rsa, algorithm: other)), "alg_not_allowed");
        }
    }

    [Fact]
    public async Task RsaKeyWithoutAlgVerifiesTheOneRsaAlgorithmTheHostAllows()
    {
        Jwk rsa = WithoutAlg(Jwk.Generate("PS256", keyId: "rsa-ps"));
        await using ResourceServer api = await ResourceServer.StartAsync(o =>
        {
            o.Keys = JwkSet.Of(rsa.ToPublicJwk());
            o.ValidIssuer = Issuer.Authority;
            o.Audience = FakeIssuer.Audience;
            o.AllowedAlgorithms.Clear();
            o.AllowedAlgorithms.Add("PS256");
            o.AllowedAlgorithms.Add("ES256");
        });

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token(key: rsa, algorithm: "PS256"))).StatusCode);
        await AssertRefusedAsync(await api.GetAsync("/me", Issuer.Token(key: rsa, algorithm: "RS256")), "alg_not_allowed");
    }

    private static Jwk WithoutAlg(Jwk key)
    {
        JsonObject members = JsonNode.Parse(key.ToJson(includePrivate: true))!.AsObject();
        members.Remove("alg");
        return Jwk.Parse(members.ToJsonString());
    }
}
