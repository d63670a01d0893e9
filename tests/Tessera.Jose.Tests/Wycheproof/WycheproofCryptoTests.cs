namespace Tessera.Jose.Tests.Wycheproof;

/// <summary>Wycheproof json_web_crypto_test.json: JWS and JWE operations (83 cases; the JWE ones are skipped and counted).</summary>
public class WycheproofCryptoTests
{
    public static TheoryData<int, string> Cases => WycheproofFiles.Runnable(WycheproofFiles.Crypto);

    [Theory]
    [MemberData(nameof(Cases))]
    public void CaseGivesTheExpectedResult(int tcId, string comment)
    {
        _ = comment; // shown in the test name only
        WycheproofAssert.GivesTheExpectedResult(WycheproofFiles.Crypto, tcId);
    }
}
