using System.Text.Json;
using Tessera.Jose.Jwt;

namespace Tessera.Jose.Tests.Claims;

/// <summary>
/// <see cref="JwtClaims.Confirmation"/>: the token's <c>cnf</c> (RFC 7800 §3.1) read as RFC 9449
/// §6.1 binds it, the same answer as reading <see cref="JwtClaims.Root"/> whatever the payload's
/// shape, and without parsing the payload when the validator read it in its flat shape.
/// </summary>
public class ConfirmationClaimTests
{
    private readonly ClaimsHarness _harness = new();

    [Theory]
    [InlineData("", JwtConfirmationKind.None, null)]
    [InlineData(""","cnf":null""", JwtConfirmationKind.None, null)]
    [InlineData(""","cnf":{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}""", JwtConfirmationKind.KeyThumbprint, "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")]
    [InlineData(""","cnf":{"jkt":"abc","other":1}""", JwtConfirmationKind.KeyThumbprint, "abc")]
    [InlineData(""","cnf":{"x5t#S256":"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"}""", JwtConfirmationKind.Unsupported, null)]
    [InlineData(""","cnf":{"jkt":""}""", JwtConfirmationKind.Unsupported, null)]
    [InlineData(""","cnf":{"jkt":7}""", JwtConfirmationKind.Unsupported, null)]
    [InlineData(""","cnf":{}""", JwtConfirmationKind.Unsupported, null)]
    [InlineData(""","cnf":"abc","x":1""", JwtConfirmationKind.Unsupported, null)]
    [InlineData(""","cnf":7""", JwtConfirmationKind.Unsupported, null)]
    [InlineData(""","cnf":true""", JwtConfirmationKind.Unsupported, null)]
    [InlineData(""","cnf":["abc"]""", JwtConfirmationKind.Unsupported, null)]
    [InlineData(""","c\u006ef":{"jkt":"escaped-name"}""", JwtConfirmationKind.KeyThumbprint, "escaped-name")]
    [InlineData(""","cnfx":{"jkt":"not-cnf"},"cn":1""", JwtConfirmationKind.None, null)]
    public void TheConfirmationIsWhatTheJsonSays(string members, JwtConfirmationKind kind, string? thumbprint)
    {
        string payload = $$"""{"exp":{{_harness.Now + 60}},"sub":"alice"{{members}}}""";

        JwtConfirmation fresh = Valid(payload).Confirmation;
        JwtClaims parsedFirst = Valid(payload);
        _ = parsedFirst.Root;
        JwtConfirmation fromRoot = parsedFirst.Confirmation;

        Assert.Equal(kind, fresh.Kind);
        Assert.Equal(thumbprint, fresh.KeyThumbprint);
        Assert.Equal(kind, fromRoot.Kind);
        Assert.Equal(thumbprint, fromRoot.KeyThumbprint);
        Assert.Equal(kind, FromRoot(parsedFirst.Root));
    }

    [Fact]
    public void AFlatPayloadWithoutCnfIsAnsweredWithoutParsingIt()
    {
        JwtClaims claims = Valid($$"""{"exp":{{_harness.Now + 60}},"sub":"alice","scope":"a b","n":3}""");

        Assert.Same(JwtConfirmation.None, claims.Confirmation);
        Assert.False(Parsed(claims));
    }

    [Fact]
    public void TheConfirmationIsRememberedOnceRead()
    {
        JwtClaims claims = Valid($$$"""{"exp":{{{_harness.Now + 60}}},"cnf":{"jkt":"abc"}}""");

        Assert.Same(claims.Confirmation, claims.Confirmation);
        Assert.Same(claims.Confirmation.KeyThumbprint, claims.Confirmation.KeyThumbprint);
    }

    [Fact]
    public void RootReadFromManyThreadsAtOnceIsOneValue()
    {
        JwtClaims claims = Valid($$"""{"exp":{{_harness.Now + 60}},"sub":"alice","roles":"admin"}""");
        string[] seen = new string[16];

        Parallel.For(0, seen.Length, i => seen[i] = claims.Root.GetRawText());

        Assert.All(seen, text => Assert.Equal(claims.Root.GetRawText(), text));
        Assert.True(claims.TryGetString("roles", out string? role));
        Assert.Equal("admin", role);
    }

    internal static bool Parsed(JwtClaims claims)
    {
        _ = claims.TryGetClaimIfParsed("sub", out _, out bool parsed);
        return parsed;
    }

    // What DpopResourceCheck.BoundThumbprint decided from the parsed payload before the accessor existed.
    private static JwtConfirmationKind FromRoot(JsonElement root) =>
        !root.TryGetProperty("cnf", out JsonElement cnf) || cnf.ValueKind == JsonValueKind.Null ? JwtConfirmationKind.None
        : cnf.ValueKind == JsonValueKind.Object && cnf.TryGetProperty("jkt", out JsonElement jkt) && jkt.ValueKind == JsonValueKind.String && jkt.GetString() is { Length: > 0 } ? JwtConfirmationKind.KeyThumbprint
        : JwtConfirmationKind.Unsupported;

    private JwtClaims Valid(string payload)
    {
        JwtValidation validation = _harness.Validate(ClaimsHarness.Token(payload));
        Assert.True(validation.IsValid, validation.Error?.Message);
        return validation.Claims!;
    }
}
