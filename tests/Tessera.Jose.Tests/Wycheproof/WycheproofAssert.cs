namespace Tessera.Jose.Tests.Wycheproof;

/// <summary>The one rule every runnable case is held to.</summary>
internal static class WycheproofAssert
{
    /// <summary>
    /// <c>valid</c> must be accepted and <c>invalid</c> refused, unless the case is a listed
    /// divergence, which must then give the opposite; <c>acceptable</c> may go either way.
    /// </summary>
    public static void GivesTheExpectedResult(string file, int tcId)
    {
        WycheproofCase testCase = WycheproofFiles.Case(file, tcId);
        WycheproofOutcome outcome = WycheproofRunner.Run(testCase);
        WycheproofDivergence? divergence = WycheproofDivergences.Find(file, tcId);

        if (testCase.Result == "acceptable")
        {
            Assert.Null(divergence);
            return;
        }

        bool expected = testCase.Result switch
        {
            "valid" => true,
            "invalid" => false,
            _ => throw new InvalidOperationException($"{testCase}: unknown result '{testCase.Result}'"),
        };

        if (divergence is null)
        {
            Assert.True(expected == outcome.Accepted, $"{testCase}: expected {testCase.Result}, Tessera {outcome}");
        }
        else
        {
            Assert.True(divergence.Evidence(testCase), $"{testCase}: the premise of the listed divergence no longer holds: {divergence.Reason}");
            Assert.True(expected != outcome.Accepted, $"{testCase}: listed as a divergence ({divergence.Reason}) but Tessera now agrees ({outcome})");
        }
    }
}
