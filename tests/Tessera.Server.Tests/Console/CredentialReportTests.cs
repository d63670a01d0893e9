using System.Net;
using Tessera.Server.BrowserConsole;

namespace Tessera.Server.Tests.Console;

/// <summary>The Tessera-Credentials answer: sizes and names of what a request carried, never a value.</summary>
public sealed class CredentialReportTests : IDisposable
{
    // The host runs as Production, where the console is off unless enabled.
    private readonly TestServerFactory _server = new(new Dictionary<string, string?> { ["Tessera:Console:Enabled"] = "true" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ARequestThatAsksLearnsTheSizeAndNamesOfItsCookiesButNotTheirValues()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth/me");
        request.Headers.Add(CredentialReport.RequestHeader, "1");

        HttpResponseMessage response = await browser.SendAsync(request);

        string report = response.Headers.GetValues(CredentialReport.ResponseHeader).Single();
        string cookieHeader = request.Headers.GetValues("Cookie").Single();
        Assert.Equal($"cookie-bytes={cookieHeader.Length}, authorization-bytes=0, cookies=\"__Host-tessera-session\", set-cookies=\"\"", report);
        Assert.DoesNotContain(cookieHeader.Split('=', 2)[1], report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReportCountsTheAuthorizationHeaderAndNamesCookiesTheResponseSets()
    {
        HttpClient client = _server.CreateBareClient();
        await client.RegisterAsync("bob");
        var signIn = new HttpRequestMessage(HttpMethod.Post, "/auth/token?delivery=cookie") { Content = System.Net.Http.Json.JsonContent.Create(new { username = "bob", password = Http.Password }) };
        signIn.Headers.Add(CredentialReport.RequestHeader, "1");
        signIn.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-token-but-counted");

        HttpResponseMessage response = await client.SendAsync(signIn);

        Assert.Equal(
            $"cookie-bytes=0, authorization-bytes={"Bearer not-a-token-but-counted".Length}, cookies=\"\", set-cookies=\"__Host-tessera-at __Host-tessera-rt\"",
            response.Headers.GetValues(CredentialReport.ResponseHeader).Single());
    }

    [Fact]
    public async Task WithoutTheRequestHeaderThereIsNoReport()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("carol");

        HttpResponseMessage response = await browser.GetAsync("/auth/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains(CredentialReport.ResponseHeader));
    }

    [Fact]
    public void CookieNamesThatAreNotTokensAreLeftOut()
    {
        string report = CredentialReport.Describe("a=1; b c=2", string.Empty, ["a", "b c", "<script>", new string('x', 65)], [null, "d=1; path=/"]);

        Assert.Equal("cookie-bytes=10, authorization-bytes=0, cookies=\"a\", set-cookies=\"d\"", report);
    }
}
