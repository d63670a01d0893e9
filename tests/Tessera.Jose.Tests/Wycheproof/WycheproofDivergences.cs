using System.Text.Json;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Wycheproof;

/// <summary>A case where Tessera deliberately gives the opposite of Wycheproof's expected result.</summary>
/// <param name="Reason">Why Tessera's answer is the right one.</param>
/// <param name="Evidence">Checks the fact the reason rests on, so a reason cannot outlive its premise.</param>
public sealed record WycheproofDivergence(string File, int TcId, string Reason, Func<WycheproofCase, bool> Evidence);

/// <summary>
/// Every deliberate divergence from Wycheproof, with its reason. The tests assert that exactly these
/// cases diverge: a case missing from this list fails, and so does a listed case that stops diverging.
/// </summary>
internal static class WycheproofDivergences
{
    private const string Signature = WycheproofFiles.Signature;

    private const string DeclaredAlgIsExclusive =
        "The key declares \"alg\":\"PS256\" but the token is PS384 (RFC 7520 §4.2). A declared alg is the only algorithm the key may be " +
        "used with (RFC 7517 §4.4, RFC 8725 §3.1) — the very rule Wycheproof's own WrongPrimitive cases 331–340 demand.";

    private const string UnregisteredAlgName =
        "The key declares \"alg\":\"ES521\", which is not a registered JWS algorithm (P-521 ECDSA is ES512, RFC 7518 §3.1). " +
        "Tessera matches a key's alg exactly and does not guess at misspellings, so the key permits no algorithm.";

    private const string IdenticalToValidCase =
        "The token is byte-for-byte the valid token of case 357 (the padding the comment describes is absent from the published " +
        "vector); no verifier can accept one and refuse the other.";

    private const string NotBase64Url =
        "'?' is not in the base64url alphabet (RFC 7515 §2). The MAC is over the text without it, so accepting means silently " +
        "dropping characters from the signing input — the leniency strict base64url exists to refuse.";

    private const string DuplicateKidTriesEachKey =
        "RFC 7517 §4.5 makes distinct kids a SHOULD. Every key in a set is trusted, so trying each key under a shared kid cannot " +
        "accept a token no trusted key signed; refusing the whole set would let one publisher's slip take down every key in it.";

    public static IReadOnlyList<WycheproofDivergence> All { get; } =
    [
        new(Signature, 346, DeclaredAlgIsExclusive, c => KeyAlg(c) == "PS256" && HeaderAlg(c) == "PS384"),
        new(Signature, 350, DeclaredAlgIsExclusive, c => KeyAlg(c) == "PS256" && HeaderAlg(c) == "PS384"),
        new(Signature, 347, UnregisteredAlgName, c => KeyAlg(c) == "ES521" && HeaderAlg(c) == "ES512"),
        new(Signature, 351, UnregisteredAlgName, c => KeyAlg(c) == "ES521" && HeaderAlg(c) == "ES512"),
        new(Signature, 367, IdenticalToValidCase, c => c.CompactToken == WycheproofFiles.Case(Signature, 357).CompactToken),
        new(Signature, 370, IdenticalToValidCase, c => c.CompactToken == WycheproofFiles.Case(Signature, 357).CompactToken),
        new(Signature, 372, NotBase64Url, IsValidCaseWithAQuestionMark),
        new(Signature, 373, NotBase64Url, IsValidCaseWithAQuestionMark),
        new(WycheproofFiles.Key, 4, DuplicateKidTriesEachKey, c => c.Key.GetProperty("keys").EnumerateArray()
            .GroupBy(k => k.StringOrNull("kid")).Any(g => g.Key is not null && g.Count() > 1)),
    ];

    public static WycheproofDivergence? Find(string file, int tcId) =>
        All.SingleOrDefault(d => d.File == file && d.TcId == tcId);

    /// <summary>The token is case 357's with one '?' inserted: the MAC covers the text without it.</summary>
    private static bool IsValidCaseWithAQuestionMark(WycheproofCase c) =>
        c.CompactToken!.Count(ch => ch == '?') == 1
        && c.CompactToken!.Replace("?", "", StringComparison.Ordinal) == WycheproofFiles.Case(Signature, 357).CompactToken;

    private static string? KeyAlg(WycheproofCase c) => c.Key.StringOrNull("alg");

    private static string? HeaderAlg(WycheproofCase c)
    {
        using JsonDocument header = JsonDocument.Parse(B64.Decode(c.CompactToken!.Split('.')[0]));
        return header.RootElement.StringOrNull("alg");
    }
}
