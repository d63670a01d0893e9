using System.Text.Json;
using Tessera.InMemory;
using Tessera.Sessions;

namespace Tessera.Tests.Sessions;

public class SessionAttributesTests
{
    private static readonly SessionClient Home = new("198.51.100.1", "Browser/1");
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly InMemorySessionStore _store = new();

    private async Task<(SessionAttributes Attributes, string Handle)> SessionAsync(TesseraSessionOptions? options = null)
    {
        options ??= new TesseraSessionOptions();
        IssuedSession issued = await new SessionService(_store, options, TimeProvider.System).CreateAsync("user-1", Home, None);
        return (new SessionAttributes(_store, options), issued.Session.Handle);
    }

    private static JsonElement Json(string text)
    {
        using JsonDocument document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 });
        return document.RootElement.Clone();
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    public async Task BadAttributeKeysAreRefused(string key)
    {
        (SessionAttributes attributes, string handle) = await SessionAsync();

        Outcome<bool> result = await attributes.SetAsync(handle, key, "v", None);

        Assert.Equal(TesseraErrorCodes.ValidationFailed, result.Error?.Code);
    }

    [Fact]
    public async Task OversizedStringValueIsRefused()
    {
        (SessionAttributes attributes, string handle) = await SessionAsync(new TesseraSessionOptions { MaxAttributeValueLength = 10 });

        Assert.True((await attributes.SetAsync(handle, "k", new string('v', 10), None)).Succeeded);
        Assert.Equal(TesseraErrorCodes.ValidationFailed, (await attributes.SetAsync(handle, "k", new string('v', 11), None)).Error?.Code);
    }

    [Fact]
    public async Task AStringIsMeasuredInCharactersAsBeforeJsonValues()
    {
        (SessionAttributes attributes, string handle) = await SessionAsync(new TesseraSessionOptions { MaxAttributeValueLength = 10 });

        // Ten characters, twenty UTF-8 bytes: accepted, as it always was.
        Outcome<bool> written = await attributes.SetAsync(handle, "k", new string('é', 10), None);

        Assert.True(written.Succeeded);
        Assert.Equal(new string('é', 10), (await attributes.GetAsync(handle, "k", None))?.GetString());
    }

    [Fact]
    public async Task AnyOtherValueIsMeasuredInBytesOfItsCompactJson()
    {
        (SessionAttributes attributes, string handle) = await SessionAsync(new TesseraSessionOptions { MaxAttributeValueLength = 12 });

        // {"a":"bbbb"} is 12 bytes however many spaces the client sent; {"a":"bbbbb"} is 13.
        Assert.True((await attributes.SetAsync(handle, "k", Json("""{ "a" :   "bbbb" }"""), None)).Succeeded);
        Assert.Equal(TesseraErrorCodes.ValidationFailed, (await attributes.SetAsync(handle, "k", Json("""{"a":"bbbbb"}"""), None)).Error?.Code);
        Assert.Equal("""{"a":"bbbb"}""", (await attributes.GetAsync(handle, "k", None))?.GetRawText());
    }

    [Fact]
    public async Task ValuesNestedDeeperThanTheLimitAreRefused()
    {
        (SessionAttributes attributes, string handle) = await SessionAsync();
        int depth = SessionAttributeRules.MaximumDepth;

        Outcome<bool> deepest = await attributes.SetAsync(handle, "ok", Json(new string('[', depth) + new string(']', depth)), None);
        Outcome<bool> tooDeep = await attributes.SetAsync(handle, "deep", Json(new string('[', depth + 1) + new string(']', depth + 1)), None);
        Outcome<bool> tooDeepInObjects = await attributes.SetAsync(handle, "deep", Json(string.Concat(Enumerable.Repeat("{\"a\":", depth + 1)) + "1" + new string('}', depth + 1)), None);

        Assert.True(deepest.Succeeded);
        Assert.Equal(TesseraErrorCodes.ValidationFailed, tooDeep.Error?.Code);
        Assert.Equal(TesseraErrorCodes.ValidationFailed, tooDeepInObjects.Error?.Code);
    }

    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("{\"a\":[\"fine\",\"\\udc00 alone\"]}")]
    public async Task ALoneSurrogateEscapeIsRefusedNotStored(string json)
    {
        (SessionAttributes attributes, string handle) = await SessionAsync();

        Outcome<bool> written = await attributes.SetAsync(handle, "k", Json(json), None);

        Assert.Equal(TesseraErrorCodes.ValidationFailed, written.Error?.Code);
        Assert.Empty(await attributes.GetAllAsync(handle, None));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InvalidUtf8IsRefusedNotStoredAltered(bool asString)
    {
        // Found by the json-bodies fuzz target (fuzz/regressions/json-bodies): System.Text.Json reads
        // {"d":"da\xFFk"} without checking the string's UTF-8, and the value was stored with U+FFFD.
        (SessionAttributes attributes, string handle) = await SessionAsync();
        byte[] utf8 = asString ? [0x22, 0x64, 0x61, 0xFF, 0x6B, 0x22] : [.. """{"d":"da"""u8, 0xFF, .. """k","n":[]}"""u8];
        using JsonDocument document = JsonDocument.Parse(utf8);

        Outcome<bool> written = await attributes.SetAsync(handle, "k", document.RootElement, None);

        Assert.Equal(TesseraErrorCodes.ValidationFailed, written.Error?.Code);
        Assert.Empty(await attributes.GetAllAsync(handle, None));
    }

    [Fact]
    public async Task AMissingValueIsRefusedButJsonNullIsAValue()
    {
        (SessionAttributes attributes, string handle) = await SessionAsync();

        Assert.Equal(TesseraErrorCodes.ValidationFailed, (await attributes.SetAsync(handle, "k", default(JsonElement), None)).Error?.Code);
        Assert.Equal(TesseraErrorCodes.ValidationFailed, (await attributes.SetAsync(handle, "k", (string?)null, None)).Error?.Code);
        Assert.True((await attributes.SetAsync(handle, "k", Json("null"), None)).Succeeded);
        Assert.Equal(JsonValueKind.Null, (await attributes.GetAsync(handle, "k", None))?.ValueKind);
    }

    [Fact]
    public async Task TheSessionBudgetRefusesAWriteThatWouldPassIt()
    {
        // Keys and stored values in UTF-8: "a" + 40 bytes, "b" + 40 bytes = 82; a budget of 100.
        (SessionAttributes attributes, string handle) = await SessionAsync(new TesseraSessionOptions { MaxAttributeBytesPerSession = 100 });
        await attributes.SetAsync(handle, "a", new string('x', 40), None);
        await attributes.SetAsync(handle, "b", new string('x', 40), None);

        Outcome<bool> third = await attributes.SetAsync(handle, "c", new string('x', 20), None);
        Outcome<bool> replaced = await attributes.SetAsync(handle, "b", new string('y', 58), None);
        Outcome<bool> grown = await attributes.SetAsync(handle, "b", new string('y', 59), None);

        Assert.Equal(TesseraErrorCodes.AttributeLimitReached, third.Error?.Code);
        Assert.True(replaced.Succeeded); // the old value of "b" does not count against its replacement
        Assert.Equal(TesseraErrorCodes.AttributeLimitReached, grown.Error?.Code);
    }

    [Fact]
    public async Task AnUnknownSessionHasNoAttributesToSet()
    {
        (SessionAttributes attributes, _) = await SessionAsync();

        Assert.Equal(TesseraErrorCodes.SessionNotFound, (await attributes.SetAsync("no-such-handle", "k", Json("[1]"), None)).Error?.Code);
    }

    [Fact]
    public void OptionsOutsideTheirRangeAreRefused()
    {
        Assert.NotNull(new TesseraSessionOptions { MaxAttributeBytesPerSession = -1 }.Problem());
        Assert.Null(new TesseraSessionOptions { MaxAttributeBytesPerSession = 64 * 1024 }.Problem());
    }

    [Fact]
    public async Task AUsersAttributesNeverExceedTheSessionCapTimesTheSessionBound()
    {
        // Issue #14 finding 5: MaxSessionsPerUser × MaxAttributeBytesPerSessionBound bounds one user.
        var options = new TesseraSessionOptions { MaxSessionsPerUser = 3, MaxAttributes = 2, MaxAttributeValueLength = 10 };
        var sessions = new SessionService(_store, options, TimeProvider.System);
        var attributes = new SessionAttributes(_store, options);
        // The longest stored text a 10-character value can have: control characters, escaped as \uXXXX.
        string worst = SessionAttributeFormat.JsonMarker + new string('\u0001', 9);
        for (int i = 0; i < 5; i++)
        {
            IssuedSession issued = await sessions.CreateAsync("user-1", Home, None);
            Assert.True((await attributes.SetAsync(issued.Session.Handle, new string('a', SessionAttributeRules.MaximumKeyLength), worst, None)).Succeeded);
            Assert.True((await attributes.SetAsync(issued.Session.Handle, new string('b', SessionAttributeRules.MaximumKeyLength), worst, None)).Succeeded);
        }

        long held = 0;
        IReadOnlyList<SessionRecord> live = await sessions.ListAsync("user-1", None);
        foreach (SessionRecord session in live)
        {
            held += (await _store.GetAttributesAsync(session.Handle, None)).Sum(a => System.Text.Encoding.UTF8.GetByteCount(a.Key) + System.Text.Encoding.UTF8.GetByteCount(a.Value));
        }

        Assert.Equal(3, live.Count);
        Assert.Equal(3 * 2 * (64 + 3 + (6 * 10)), options.MaxAttributeBytesPerUser);
        Assert.Equal(options.MaxAttributeBytesPerUser, held); // the bound is reached, never passed
    }
}
