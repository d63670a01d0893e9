using Microsoft.Extensions.Time.Testing;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Tests.Cache;

/// <summary>What the cache tests share: one ES256 key, a fake clock, a validator for the audience <c>api</c>, tokens valid for five minutes.</summary>
internal sealed class CachedTokens
{
    public static readonly Jwk Signing = Jwk.Generate("ES256", "k1");

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 6, 15, 12, 0, 0, TimeSpan.Zero));

    public JwkSet Keys { get; } = JwkSet.Of(Signing.ToPublicJwk());

    public JwtValidator Validator() => new(new JwtValidationPolicy { ValidAudiences = ["api"], TimeProvider = Clock });

    public string Token(string subject = "user-1") =>
        JwtSigner.Sign(new JwtDescriptor { Subject = subject, Audiences = ["api"], ExpiresAt = Clock.GetUtcNow().AddMinutes(5) }, Signing);
}
