namespace Tessera.Jose.Tests.Wycheproof;

/// <summary>Wycheproof json_web_key_test.json: key and key-set validation (26 cases).</summary>
public class WycheproofKeyTests
{
    public static TheoryData<int, string> Cases => WycheproofFiles.Runnable(WycheproofFiles.Key);

    [Theory]
    [MemberData(nameof(Cases))]
    public void CaseGivesTheExpectedResult(int tcId, string comment)
    {
        _ = comment; // shown in the test name only
        WycheproofAssert.GivesTheExpectedResult(WycheproofFiles.Key, tcId);
    }
}
