using Tessera.Jose.Jws;
using Tessera.Jose.Keys;
using Xunit.Abstractions;

namespace Tessera.Jose.Tests.Wycheproof;

/// <summary>
/// Nothing is dropped silently: every case of every file is either run or skipped for a stated
/// reason, and the skip counts are exactly the expected ones.
/// </summary>
public class WycheproofCoverageTests(ITestOutputHelper output)
{
    /// <summary>
    /// Signature file: tcId 17 (a JSON-serialized JWS). Key file: none. Crypto file: tcId 17 (a
    /// JSON-serialized JWS) and the 34 JWE cases 50–83 (one of them, 66, also JSON-serialized).
    /// </summary>
    public static TheoryData<string, int, int> ExpectedSkips => new()
    {
        { WycheproofFiles.Signature, 0, 1 },
        { WycheproofFiles.Key, 0, 0 },
        { WycheproofFiles.Crypto, 34, 1 },
    };

    [Theory]
    [MemberData(nameof(ExpectedSkips))]
    public void EveryCaseIsRunOrSkippedForAStatedReason(string file, int expectedJwe, int expectedJsonSerialization)
    {
        IReadOnlyList<WycheproofCase> cases = WycheproofFiles.Cases(file);
        int run = cases.Count(c => c.IsRunnable);
        int jwe = cases.Count(c => c.SkipReason == WycheproofFiles.JweReason);
        int json = cases.Count(c => c.SkipReason == WycheproofFiles.JsonSerializationReason);

        output.WriteLine($"{file}: {cases.Count} cases, {run} run, {jwe + json} skipped ({jwe} JWE, {json} JSON serialization)");
        foreach (WycheproofCase skipped in cases.Where(c => !c.IsRunnable))
        {
            output.WriteLine($"  skipped #{skipped.TcId} {skipped.Comment}: {skipped.SkipReason}");
        }

        Assert.Equal(WycheproofFiles.DeclaredCount(file), cases.Count);
        Assert.Equal(cases.Count, cases.Select(c => c.TcId).Distinct().Count());
        Assert.Equal(expectedJwe, jwe);
        Assert.Equal(expectedJsonSerialization, json);
        Assert.Equal(cases.Count, run + jwe + json);
    }

    [Fact]
    public void EveryListedDivergenceIsARunnableCaseWithAReason()
    {
        foreach (WycheproofDivergence divergence in WycheproofDivergences.All)
        {
            WycheproofCase testCase = WycheproofFiles.Case(divergence.File, divergence.TcId);
            Assert.True(testCase.IsRunnable, $"{testCase} is skipped, so it cannot diverge");
            Assert.NotEqual("acceptable", testCase.Result);
            Assert.False(string.IsNullOrWhiteSpace(divergence.Reason));
            output.WriteLine($"divergence {testCase}: expected {testCase.Result}, Tessera {WycheproofRunner.Run(testCase)} — {divergence.Reason}");
        }

        Assert.Equal(WycheproofDivergences.All.Count, WycheproofDivergences.All.Select(d => (d.File, d.TcId)).Distinct().Count());
    }

    [Fact]
    public void SkippedCasesAreStillRefusedByTheCompactVerifier()
    {
        // Skipped means "not comparable", not "ignored": a JWE or a JSON-serialized JWS handed to
        // the compact verifier is malformed, whatever Wycheproof expects of a JWE library.
        var verifier = new JwsVerifier();
        JwkSet anyKeys = JwkSet.Of(TestData.TestKeys.Octet);
        foreach (string file in new[] { WycheproofFiles.Signature, WycheproofFiles.Key, WycheproofFiles.Crypto })
        {
            foreach (WycheproofCase skipped in WycheproofFiles.Cases(file).Where(c => !c.IsRunnable))
            {
                string text = skipped.CompactToken ?? skipped.Token.GetRawText();
                Assert.Equal(JoseErrorCodes.Malformed, verifier.Verify(text, anyKeys).Error?.Code);
            }
        }
    }
}
