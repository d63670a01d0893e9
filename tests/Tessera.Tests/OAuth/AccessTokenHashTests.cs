using Tessera.OAuth.IdTokens;

namespace Tessera.Tests.OAuth;

public class AccessTokenHashTests
{
    [Theory]
    // OpenID Connect Core 1.0 Appendix A.3 (at_hash of an RS256 ID token) and A.4 (c_hash, the same computation over the code).
    [InlineData("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "RS256", "77QmUPtjPfzWtF2AnpK9RQ")]
    [InlineData("Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk", "RS256", "LDktKdoQak3Pk0cnXxCltA")]
    // The hash is chosen by the algorithm's hash only: ES256 and PS256 give the same value as RS256.
    [InlineData("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "ES256", "77QmUPtjPfzWtF2AnpK9RQ")]
    [InlineData("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "PS256", "77QmUPtjPfzWtF2AnpK9RQ")]
    public void MatchesTheSpecificationsExamples(string token, string alg, string expected)
    {
        Assert.Equal(expected, AccessTokenHash.Of(token, alg));
    }

    [Theory]
    [InlineData("RS384", 32)]
    [InlineData("ES512", 43)]
    [InlineData("EdDSA", 43)]
    public void LongerHashesGiveLongerHalves(string alg, int length)
    {
        // 24 bytes (SHA-384) and 32 bytes (SHA-512) encode to 32 and 43 base64url characters.
        Assert.Equal(length, AccessTokenHash.Of("token", alg).Length);
    }

    [Fact]
    public void RefusesWhatIsNotAnAsciiTokenOrAKnownAlgorithm()
    {
        Assert.Throws<ArgumentException>(() => AccessTokenHash.Of("tökén", "RS256"));
        Assert.Throws<ArgumentException>(() => AccessTokenHash.Of("token", "none"));
    }
}
