using System.Text.Unicode;
using Tessera.Jose.Jwt;

namespace Tessera.Jose.Tests.Claims;

/// <summary>
/// The fast claims scan (JwtClaimsFastReader) against the JSON reader it short-cuts: wherever the
/// scan says yes, the reader must say yes too and read the same claims — on typical payloads, on
/// hand-picked edge cases, and on every one-byte deletion and substitution of a typical payload.
/// It must also really take the common shape (or the speed-up is gone without a test noticing).
/// </summary>
public class FastClaimsReaderTests
{
    private const string Typical =
        """{"iss":"https://id.example","sub":"user-1","aud":"https://api.example","exp":1900000000,"iat":1899996400,"jti":"6d1f0c7e","role":"admin","n":-5,"ok":true,"no":false,"z":null}""";

    private static readonly JwtPolicyRules Checked = new(new JwtValidationPolicy
    {
        ValidIssuers = ["https://id.example"],
        ValidAudiences = ["https://api.example", "other"],
    });

    private static readonly JwtPolicyRules Unchecked = new(new JwtValidationPolicy());

    public static TheoryData<string> TakenByTheScan => new()
    {
        Typical,
        "{}",
        " { } ",
        """{"exp":0}""",
        """{"exp":-0,"nbf":-62135596800,"iat":253402300799}""",
        """{"iss":"https://elsewhere","aud":"nobody","sub":"","jti":"Zoë 日本 😀"}""",
        "\t\r\n{ \"exp\" :\n1 ,\t\"a\":\"b\" }\r\n",
        "{\"a\":1,\"aa\":2,\"aaaaaaa\":3,\"aaaaaaaa\":4,\"aaaaaaaaa\":5,\"x\u007fy\":\"del\"}",
    };

    public static TheoryData<string> LeftToTheReader => new()
    {
        """{"exp":1,"exp":2}""",
        """{"longer-name":1,"longer-name":2}""",
        """{"\u0065xp":1}""",
        """{"sub":"a\"b"}""",
        """{"exp":1.5}""",
        """{"exp":1e3}""",
        """{"exp":01}""",
        """{"exp":"1"}""",
        """{"iss":1}""",
        """{"aud":["a"]}""",
        """{"x":{"a":1}}""",
        """{"x":[1]}""",
        """{"exp":253402300800}""",
        """{"n":1234567890123456789}""",
        """{"exp":true}""",
        """{"a":1,}""",
        """{"a":1}x""",
        """{"a":1}{}""",
        """{"a" 1}""",
        """{"a":tru}""",
        """{"a":truex}""",
        """{"a":-}""",
        "{\"a\":\"\u0001\"}",
        "\uFEFF{}",
        """[]""",
        "",
    };

    [Theory]
    [MemberData(nameof(TakenByTheScan))]
    public void TheCommonShapeIsScannedAndReadsAsTheReaderReadsIt(string json)
    {
        byte[] payload = System.Text.Encoding.UTF8.GetBytes(json);
        foreach (JwtPolicyRules rules in new[] { Checked, Unchecked })
        {
            Assert.True(JwtClaimsFastReader.TryRead(payload, rules, out _));
            AssertAgrees(payload, rules);
        }
    }

    [Theory]
    [MemberData(nameof(LeftToTheReader))]
    public void EverythingElseIsLeftToTheReader(string json)
    {
        byte[] payload = System.Text.Encoding.UTF8.GetBytes(json);
        Assert.False(JwtClaimsFastReader.TryRead(payload, Checked, out _));
        Assert.False(JwtClaimsFastReader.TryRead(payload, Unchecked, out _));
    }

    [Fact]
    public void RequiredCustomClaimsAreLeftToTheReader()
    {
        var rules = new JwtPolicyRules(new JwtValidationPolicy { RequiredClaims = ["exp", "role"] });
        Assert.False(JwtClaimsFastReader.TryRead(System.Text.Encoding.UTF8.GetBytes(Typical), rules, out _));
    }

    [Fact]
    public void EveryOneByteChangeOfATypicalPayloadIsReadAsTheReaderReadsIt()
    {
        byte[] typical = System.Text.Encoding.UTF8.GetBytes(Typical);
        byte[] replacements = "{}[]\":,. \t\n\r0123456789-+eEtfnaux\\/\u0001\u001f\u007f"u8.ToArray();
        int scanned = 0;
        for (int at = 0; at < typical.Length; at++)
        {
            byte[] deleted = [.. typical.AsSpan(0, at), .. typical.AsSpan(at + 1)];
            scanned += AssertAgrees(deleted, Checked) + AssertAgrees(deleted, Unchecked);
            foreach (byte replacement in replacements)
            {
                byte[] changed = (byte[])typical.Clone();
                changed[at] = replacement;
                scanned += AssertAgrees(changed, Checked) + AssertAgrees(changed, Unchecked);
                byte[] inserted = [.. typical.AsSpan(0, at), replacement, .. typical.AsSpan(at)];
                scanned += AssertAgrees(inserted, Checked) + AssertAgrees(inserted, Unchecked);
            }
        }

        // Most of the changes keep the shape (a changed letter inside a string): the scan must have taken them.
        Assert.True(scanned > typical.Length * replacements.Length, $"only {scanned} changed payloads were scanned");
    }

    /// <summary>Where the scan takes <paramref name="payload"/>, the reader accepts it with the same claims. Returns 1 when the scan took it.</summary>
    private static int AssertAgrees(byte[] payload, JwtPolicyRules rules)
    {
        if (!Utf8.IsValid(payload) || !JwtClaimsFastReader.TryRead(payload, rules, out JwtRegisteredClaims fast))
        {
            return 0;
        }

        string text = System.Text.Encoding.UTF8.GetString(payload);
        JoseError? error = JwtClaimsReader.TryRead(payload, rules, out JwtRegisteredClaims slow, out _, fastPath: false);
        Assert.True(error is null, $"the scan took what the reader refuses ({error?.Code}): {text}");
        Assert.False(slow.NeedsFullCheck, text);
        Assert.Equal(slow.Issuer, fast.Issuer);
        Assert.Equal(slow.Audience, fast.Audience);
        Assert.Equal(slow.ExpiresAt, fast.ExpiresAt);
        Assert.Equal(slow.NotBefore, fast.NotBefore);
        Assert.Equal(slow.IssuedAt, fast.IssuedAt);
        Assert.Equal(Resolve(slow.Subject, slow.SubjectRaw, payload), Resolve(fast.Subject, fast.SubjectRaw, payload));
        Assert.Equal(Resolve(slow.JwtId, slow.JwtIdRaw, payload), Resolve(fast.JwtId, fast.JwtIdRaw, payload));

        // An accepted issuer or audience is the policy's own instance on both paths.
        Assert.True(ReferenceEquals(slow.Issuer, fast.Issuer) || !rules.IsValidIssuer(slow.Issuer ?? ""), text);
        return 1;
    }

    private static string? Resolve(string? value, RawClaimString raw, byte[] payload) => value ?? raw.ToString(payload);
}
