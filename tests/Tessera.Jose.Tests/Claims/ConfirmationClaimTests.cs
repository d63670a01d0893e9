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
    [InlineData(""","cnf":{"j\u006bt":"escaped-member"}""", JwtConfirmationKind.KeyThumbprint, "escaped-member")]
    [InlineData(""","cnf":{"jkt":"a\u0062c\/d"}""", JwtConfirmationKind.KeyThumbprint, "abc/d")]
    [InlineData(""","cnf":{"x5t#S256":"t","jkt":"after-another-method"}""", JwtConfirmationKind.KeyThumbprint, "after-another-method")]
    [InlineData(""","cnf":{"jkt":{"jkt":"nested"}}""", JwtConfirmationKind.Unsupported, null)]
    [InlineData(""","cnf":{"jkt":null}""", JwtConfirmationKind.Unsupported, null)]
    [InlineData(""","x":{"cnf":7},"y":["cnf",{"cnf":{"jkt":"inner"}}]""", JwtConfirmationKind.None, null)]
    [InlineData(""","x":{"cnf":7},"cnf":{"jkt":"after-nested"}""", JwtConfirmationKind.KeyThumbprint, "after-nested")]
    [InlineData(""","note":"cnf","cnf":"a\"bc","n":1""", JwtConfirmationKind.Unsupported, null)]
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

    [Theory]
    [InlineData(""","scope":"a b","n":3""", JwtConfirmationKind.None)]
    [InlineData(""","note":"cnf","cn":1,"cnfx":2""", JwtConfirmationKind.None)]
    [InlineData(""","cnf":null""", JwtConfirmationKind.None)]
    [InlineData(""","cnf":"abc","n":1""", JwtConfirmationKind.Unsupported)]
    [InlineData(""","cnf":7,"n":3""", JwtConfirmationKind.Unsupported)]
    [InlineData(""","cnf":true""", JwtConfirmationKind.Unsupported)]
    public void AFlatPayloadIsAnsweredWithoutParsingIt(string members, JwtConfirmationKind kind)
    {
        // A flat payload (no nested value, no escape) is one the validator's fast reader read; it notes
        // whether a cnf member was there, so only a payload without one is known unbound untold.
        JwtClaims claims = Valid($$"""{"exp":{{_harness.Now + 60}},"sub":"alice"{{members}}}""");

        Assert.Equal(kind, claims.Confirmation.Kind);
        Assert.Null(claims.Confirmation.KeyThumbprint);
        Assert.Same(kind == JwtConfirmationKind.None ? JwtConfirmation.None : JwtConfirmation.Unsupported, claims.Confirmation);
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
    public void RootIsParsedOnceAndEveryReaderGetsThatOneDocument()
    {
        // Threads reading Root at once must all get the document that won, not each a parse of its
        // own (an element from a document another thread discarded). The payload is flat, so the
        // validator did not parse it and Root does; long members make each parse long enough for two
        // threads to overlap, and many rounds make an overlap all but certain.
        string members = string.Join(",", Enumerable.Range(0, 28).Select(i => $"\"claim{i}\":\"{new string('v', 120)}{i}\""));
        string payload = $$"""{"exp":{{_harness.Now + 60}},"sub":"alice",{{members}}}""";
        for (int round = 0; round < 50; round++)
        {
            JwtClaims claims = Valid(payload);
            Assert.False(Parsed(claims));
            var seen = new JsonElement[4];
            using var start = new Barrier(seen.Length);

            // Threads of their own: Parallel.For on the thread pool may have fewer workers than the
            // barrier's participants on a small machine, and then waits for the pool to grow.
            Thread[] readers = [.. Enumerable.Range(0, seen.Length).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                seen[i] = claims.Root;
            }))];
            foreach (Thread reader in readers)
            {
                reader.Start();
            }

            foreach (Thread reader in readers)
            {
                reader.Join();
            }

            Assert.All(seen, root => Assert.True(SameDocument(root, seen[0]), $"round {round}: two parses of one payload"));
            Assert.True(SameDocument(claims.Root, seen[0]), "Root is parsed again after the first read");
        }
    }

    // Whether two elements are views of the same bytes (the same parsed document), not merely equal text.
    private static bool SameDocument(JsonElement one, JsonElement other) =>
        System.Runtime.CompilerServices.Unsafe.AreSame(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(one)),
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(other)));

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
