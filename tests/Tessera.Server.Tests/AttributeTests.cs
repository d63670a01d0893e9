using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tessera.Server.Tests;

public sealed class AttributeTests : IDisposable
{
    private readonly TestServerFactory _server = new(new Dictionary<string, string?> { ["Tessera:Sessions:MaxAttributes"] = "2" });

    public void Dispose() => _server.Dispose();

    private async Task<HttpClient> SignedInBrowserAsync()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        return browser;
    }

    /// <summary>PUTs <c>{"value": json}</c> with <paramref name="json"/> written as is, whatever it holds.</summary>
    private static Task<HttpResponseMessage> PutRawValueAsync(HttpClient browser, string key, string json) =>
        browser.PutAsync($"/auth/session/attributes/{key}", new StringContent($"{{\"value\": {json}}}", System.Text.Encoding.UTF8, "application/json"));

    [Fact]
    public async Task WrittenAttributeReadsBack()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");

        HttpResponseMessage put = await browser.PutAsJsonAsync("/auth/session/attributes/theme", new { value = "dark" });
        HttpResponseMessage get = await browser.GetAsync("/auth/session/attributes/theme");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        JsonElement attribute = await get.AssertOkJsonAsync();
        Assert.Equal("theme", attribute.GetProperty("key").GetString());
        Assert.Equal("dark", attribute.GetProperty("value").GetString());
        JsonElement all = await (await browser.GetAsync("/auth/session/attributes")).AssertOkJsonAsync();
        Assert.Equal("dark", all.GetProperty("attributes").GetProperty("theme").GetString());
    }

    [Fact]
    public async Task RewritingAnAttributeReplacesItsValue()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        await browser.PutAsJsonAsync("/auth/session/attributes/theme", new { value = "dark" });

        await browser.PutAsJsonAsync("/auth/session/attributes/theme", new { value = "light" });

        Assert.Equal("light", (await (await browser.GetAsync("/auth/session/attributes/theme")).JsonAsync()).GetProperty("value").GetString());
    }

    [Fact]
    public async Task DeletedAttributeIsGone()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        await browser.PutAsJsonAsync("/auth/session/attributes/theme", new { value = "dark" });

        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync("/auth/session/attributes/theme")).StatusCode);

        await (await browser.GetAsync("/auth/session/attributes/theme")).AssertProblemAsync(HttpStatusCode.NotFound, "attribute_not_found");
        await (await browser.DeleteAsync("/auth/session/attributes/theme")).AssertProblemAsync(HttpStatusCode.NotFound, "attribute_not_found");
    }

    [Fact]
    public async Task AttributesBelongToOneSessionNotToTheUser()
    {
        HttpClient laptop = _server.CreateBrowser();
        HttpClient phone = _server.CreateBrowser();
        await laptop.RegisterAndSignInAsync("alice");
        await phone.SignInAsync("alice");

        await laptop.PutAsJsonAsync("/auth/session/attributes/theme", new { value = "dark" });

        await (await phone.GetAsync("/auth/session/attributes/theme")).AssertProblemAsync(HttpStatusCode.NotFound, "attribute_not_found");
    }

    [Fact]
    public async Task NewSessionStartsWithoutTheOldSessionsAttributes()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        await browser.PutAsJsonAsync("/auth/session/attributes/theme", new { value = "dark" });

        await browser.SignInAsync("alice");

        await (await browser.GetAsync("/auth/session/attributes/theme")).AssertProblemAsync(HttpStatusCode.NotFound, "attribute_not_found");
    }

    [Fact]
    public async Task BadKeyOrMissingValueIsAValidationError()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");

        JsonElement badKey = await (await browser.PutAsJsonAsync("/auth/session/attributes/has%20space", new { value = "x" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        JsonElement noValue = await (await browser.PutAsJsonAsync("/auth/session/attributes/theme", new { other = "x" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.True(badKey.GetProperty("errors").TryGetProperty("key", out _));
        Assert.True(noValue.GetProperty("errors").TryGetProperty("value", out _));
    }

    [Fact]
    public async Task SessionHoldsAtMostTheConfiguredNumberOfAttributes()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        await browser.PutAsJsonAsync("/auth/session/attributes/a", new { value = "1" });
        await browser.PutAsJsonAsync("/auth/session/attributes/b", new { value = "2" });

        HttpResponseMessage third = await browser.PutAsJsonAsync("/auth/session/attributes/c", new { value = "3" });
        HttpResponseMessage replace = await browser.PutAsJsonAsync("/auth/session/attributes/b", new { value = "4" });

        await third.AssertProblemAsync(HttpStatusCode.Conflict, "attribute_limit_reached");
        Assert.Equal(HttpStatusCode.OK, replace.StatusCode);
    }

    [Fact]
    public async Task AttributesNeedASession()
    {
        HttpResponseMessage response = await _server.CreateBrowser().PutAsJsonAsync("/auth/session/attributes/theme", new { value = "dark" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Theory]
    [InlineData("""{"theme":"dark","sizes":[12,14.5],"beta":true,"none":null}""")]
    [InlineData("[1,\"two\",[3]]")]
    [InlineData("42")]
    [InlineData("-1.50")]
    [InlineData("false")]
    [InlineData("null")]
    public async Task AnyJsonValueReadsBackAsWritten(string json)
    {
        HttpClient browser = await SignedInBrowserAsync();

        HttpResponseMessage put = await PutRawValueAsync(browser, "prefs", json);

        JsonElement written = (await put.AssertOkJsonAsync()).GetProperty("value");
        JsonElement read = (await (await browser.GetAsync("/auth/session/attributes/prefs")).AssertOkJsonAsync()).GetProperty("value");
        JsonElement listed = (await (await browser.GetAsync("/auth/session/attributes")).AssertOkJsonAsync()).GetProperty("attributes").GetProperty("prefs");
        using JsonDocument expected = JsonDocument.Parse(json);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, written));
        Assert.True(JsonElement.DeepEquals(expected.RootElement, read), read.GetRawText());
        Assert.True(JsonElement.DeepEquals(expected.RootElement, listed));
        Assert.Equal(expected.RootElement.ValueKind, read.ValueKind);
    }

    [Fact]
    public async Task AStringThatLooksLikeJsonStaysAString()
    {
        HttpClient browser = await SignedInBrowserAsync();

        await browser.PutAsJsonAsync("/auth/session/attributes/raw", new { value = "{\"a\":1}" });

        JsonElement read = (await (await browser.GetAsync("/auth/session/attributes/raw")).AssertOkJsonAsync()).GetProperty("value");
        Assert.Equal(JsonValueKind.String, read.ValueKind);
        Assert.Equal("{\"a\":1}", read.GetString());
    }

    [Theory]
    [InlineData("[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]")]
    [InlineData("\"\\ud800\"")]
    public async Task ValueTooDeepOrNotValidTextIsAValidationErrorNamingTheValue(string json)
    {
        HttpClient browser = await SignedInBrowserAsync();

        HttpResponseMessage response = await PutRawValueAsync(browser, "k", json);

        JsonElement problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("value", out _));
    }

    [Fact]
    public async Task ValueLargerThanTheBudgetIsAValidationErrorNamingTheValue()
    {
        HttpClient browser = await SignedInBrowserAsync();

        HttpResponseMessage response = await browser.PutAsJsonAsync("/auth/session/attributes/k", new { value = new { list = Enumerable.Repeat("abcdefgh", 500) } });

        JsonElement problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("value", out _));
    }
}
