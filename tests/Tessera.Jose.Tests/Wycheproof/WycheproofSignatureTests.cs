namespace Tessera.Jose.Tests.Wycheproof;

/// <summary>Wycheproof json_web_signature_test.json: JWS verification (401 cases).</summary>
public class WycheproofSignatureTests
{
    public static TheoryData<int, string> Cases => WycheproofFiles.Runnable(WycheproofFiles.Signature);

    [Theory]
    [MemberData(nameof(Cases))]
    public void CaseGivesTheExpectedResult(int tcId, string comment)
    {
        _ = comment; // shown in the test name only
        WycheproofAssert.GivesTheExpectedResult(WycheproofFiles.Signature, tcId);
    }
}
