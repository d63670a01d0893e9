using System.Net;
using System.Text;
using static Tessera.AspNetCore.Tests.Provider.ProviderAuthorizeHost;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>
/// Every form the provider reads refuses a body the form reader cannot take (more fields than
/// FormOptions.ValueCountLimit, a broken multipart body) with a 400, never a 500.
/// </summary>
public sealed class ProviderMalformedFormTests : IAsyncLifetime
{
    private ProviderAuthorizeHost _host = null!;

    public async Task InitializeAsync() => _host = await StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string> FormEndpoints() =>
        ["/oauth2/token", "/oauth2/revoke", "/oauth2/introspect", "/oauth2/authorize", "/oauth2/signin", "/oauth2/consent", "/oauth2/logout"];

    [Theory]
    [MemberData(nameof(FormEndpoints))]
    public async Task TooManyFieldsIsABadRequest(string path)
    {
        string body = string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=1"));

        HttpResponseMessage response = await _host.Client.PostAsync(path, new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(FormEndpoints))]
    public async Task ABrokenMultipartBodyIsABadRequest(string path)
    {
        var content = new StringContent("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1", Encoding.ASCII);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");

        HttpResponseMessage response = await _host.Client.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
