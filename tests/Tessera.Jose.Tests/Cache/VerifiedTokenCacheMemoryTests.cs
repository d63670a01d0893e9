using System.Buffers.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Tests.Cache;

/// <summary>
/// The cache's byte bound counts what an entry comes to hold: besides the token's text and payload,
/// the parsed root its claims keep once anything beyond the registered claims is read (the bearer
/// handlers' principal mapping reads them all). It was left out before (#13), so a cache full of
/// mapped tokens held about 40 % more than its bound said.
/// </summary>
public class VerifiedTokenCacheMemoryTests
{
    private static readonly Jwk Signing = Jwk.Generate("ES256", "k1");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 6, 15, 12, 0, 0, TimeSpan.Zero));
    private readonly JwkSet _keys = JwkSet.Of(Signing.ToPublicJwk());

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public void AnEntryIsChargedForItsParsedClaimsBeforeTheyAreParsed(int roles)
    {
        var validator = new JwtValidator(new JwtValidationPolicy { ValidAudiences = ["api"], TimeProvider = _clock });
        var cache = new VerifiedTokenCache { CacheOnFirstValidation = true };

        // Another token first: the parser's pooled buffers and the code are warm, so what is measured
        // below is what the parse keeps, not the pool's first rental.
        Assert.True(cache.Validate(validator, Token("warm-up", roles), _keys).Claims!.TryGetClaim("roles", out _) == (roles > 0));
        long before = cache.ApproximateBytes;

        string token = Token("user-1", roles);
        JwtClaims claims = cache.Validate(validator, token, _keys).Claims!;
        long charged = cache.ApproximateBytes - before;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        _ = claims.TryGetClaim("sid", out _);
        long rootBytes = GC.GetAllocatedBytesForCurrentThread() - allocated;

        // The text (the key: 2 bytes a character and the string's header), the decoded payload (an
        // array), and the parsed root; the entry, the dictionary node and the claims object besides.
        long payloadBytes = Base64Url.GetMaxDecodedLength(token.Split('.')[1].Length);
        long held = (2L * token.Length) + 24 + payloadBytes + 24 + rootBytes;
        Assert.True(rootBytes > payloadBytes, $"the parse kept {rootBytes} B for a {payloadBytes} B payload");
        Assert.True(charged >= held, $"charged {charged} B for an entry holding at least {held} B ({rootBytes} B of parsed claims)");
    }

    private string Token(string subject, int roles)
    {
        var claims = new JsonObject { ["client_id"] = "shop-web", ["sid"] = "nyEiYH6rZlmG9Nygi6r0KQ", ["scope"] = "openid orders cart" };
        if (roles > 0)
        {
            claims["roles"] = new JsonArray(Enumerable.Range(0, roles).Select(i => JsonValue.Create($"role-{i}")).ToArray<JsonNode?>());
        }

        return JwtSigner.Sign(new JwtDescriptor
        {
            Issuer = "https://id.example",
            Subject = subject,
            Audiences = ["api"],
            ExpiresAt = _clock.GetUtcNow().AddMinutes(5),
            IssuedAt = _clock.GetUtcNow(),
            JwtId = Guid.NewGuid().ToString("N"),
            AdditionalClaims = claims,
        }, Signing);
    }
}
