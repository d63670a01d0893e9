using System.Text.Json;
using Tessera.Sessions;

namespace Tessera.Stores.Conformance;

/// <summary>
/// Attribute values of any JSON kind go through every backend as text, with no schema of their
/// own: what is written reads back the same, and rows written when values were only strings
/// still read back as those strings.
/// </summary>
public abstract partial class SessionStoreConformanceTests
{
    [Theory]
    [InlineData("""{"theme":"dark","sizes":[1,2.50,-3e2],"beta":true,"nested":{"none":null}}""")]
    [InlineData("""[1,"two",{"three":3}]""")]
    [InlineData("12345678901234567890.000001")]
    [InlineData("false")]
    [InlineData("null")]
    [InlineData("\"Grüße 🎉 \\\"quoted\\\" \\u001e\"")]
    [InlineData("\"\\u001e{\\\"looks\\\":\\\"like the marker\\\"}\"")]
    public async Task JsonAttributeValuesReadBackAsWritten(string json)
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        using JsonDocument written = JsonDocument.Parse(json);

        Assert.True((await Attributes.SetAsync(issued.Session.Handle, "k", written.RootElement, None)).Succeeded);

        JsonElement read = (await Attributes.GetAllAsync(issued.Session.Handle, None))["k"];
        Assert.Equal(written.RootElement.ValueKind, read.ValueKind);
        Assert.True(JsonElement.DeepEquals(written.RootElement, read), $"{json} read back as {read.GetRawText()}");
        Assert.Equal(SessionAttributeFormat.CompactJson(written.RootElement), read.GetRawText());
    }

    [Theory]
    [InlineData("dark")]
    [InlineData("""{"not":"json to this store"}""")]
    [InlineData("")]
    public async Task StringsStoredBeforeJsonValuesStillReadAsStrings(string legacy)
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        // Written straight to the store, as every version before JSON values did.
        await ((ISessionAttributeStore)Store).SetAttributeAsync(issued.Session.Handle, "k", legacy, 8, None);

        JsonElement read = (await Attributes.GetAllAsync(issued.Session.Handle, None))["k"];

        Assert.Equal(JsonValueKind.String, read.ValueKind);
        Assert.Equal(legacy, read.GetString());
    }
}
