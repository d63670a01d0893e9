using System.Net;
using System.Text;

namespace Tessera.Server.Tests;

public sealed class MalformedRequestTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    private Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType) =>
        _server.CreateBrowser().PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    [Theory]
    [InlineData("{\"username\":")]
    [InlineData("not json at all")]
    [InlineData("{\"username\": 5, \"password\": true}")]
    [InlineData("[1,2,3]")]
    public async Task MalformedJsonIsABadRequest(string body)
    {
        HttpResponseMessage response = await PostRawAsync("/auth/session", body, "application/json");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
    }

    [Fact]
    public async Task MalformedJsonForTheShopIsABadRequest()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");

        HttpResponseMessage response = await browser.PostAsync("/shop/cart/items", new StringContent("{\"productId\":\"x\",\"quantity\":\"lots\"}", Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task OtherContentTypesAreUnsupported(string contentType)
    {
        HttpResponseMessage response = await PostRawAsync("/auth/register", "username=alice&password=correct+horse", contentType);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task HugeBodyIsTooLarge()
    {
        string huge = "{\"username\":\"" + new string('a', 64 * 1024) + "\",\"password\":\"x\"}";

        HttpResponseMessage response = await PostRawAsync("/auth/register", huge, "application/json");

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task UnknownRouteIsNotFound()
    {
        await (await _server.CreateBrowser().GetAsync("/no/such/thing")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task WrongMethodIsNotAllowed()
    {
        await (await _server.CreateBrowser().PutAsync("/auth/register", new StringContent("{}", Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Fact]
    public async Task AbsurdlyLongSignInPasswordIsRefusedBeforeHashing()
    {
        HttpResponseMessage response = await _server.CreateBrowser().PostJsonAsync("/auth/session", new { username = "alice", password = new string('p', 5000) });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }
}
