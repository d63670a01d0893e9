using System.Net;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>CORS: public metadata to any origin; token and revocation endpoints only to origins registered for a client; preflights answered.</summary>
public sealed class TokenCorsTests : IAsyncLifetime
{
    private const string Registered = "https://spa.example";
    private const string Stranger = "https://evil.example";

    private ProviderTokenHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ProviderTokenHost.StartAsync();
        await _host.AddPublicClientAsync("spa", corsOrigins: [Registered]);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<HttpResponseMessage> PreflightAsync(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return _host.Client.SendAsync(request);
    }

    private static string? AllowedOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out IEnumerable<string>? values) ? values.Single() : null;

    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/oauth-authorization-server")]
    [InlineData("/.well-known/jwks.json")]
    public async Task PublicDocumentsAreReadableFromAnyOrigin(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", Stranger);

        HttpResponseMessage response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", AllowedOrigin(response));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("/oauth2/token")]
    [InlineData("/oauth2/revoke")]
    public async Task PreflightFromARegisteredOriginIsAnswered(string path)
    {
        HttpResponseMessage response = await PreflightAsync(path, Registered);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Registered, AllowedOrigin(response));
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("/oauth2/token")]
    [InlineData("/oauth2/revoke")]
    public async Task PreflightFromAnUnregisteredOriginGetsNoCorsHeaders(string path)
    {
        HttpResponseMessage response = await PreflightAsync(path, Stranger);

        Assert.NotEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Null(AllowedOrigin(response));
    }

    [Fact]
    public async Task TokenResponsesCarryTheRegisteredOriginOnly()
    {
        HttpResponseMessage registered = await _host.PostFormAsync("/oauth2/token", [KeyValuePair.Create("grant_type", "refresh_token"), KeyValuePair.Create("refresh_token", "x"), KeyValuePair.Create("client_id", "spa")], origin: Registered);
        HttpResponseMessage stranger = await _host.PostFormAsync("/oauth2/token", [KeyValuePair.Create("grant_type", "refresh_token"), KeyValuePair.Create("refresh_token", "x"), KeyValuePair.Create("client_id", "spa")], origin: Stranger);

        // Errors too must be readable by the registered app (it shows them), and by nobody else.
        Assert.Equal(HttpStatusCode.BadRequest, registered.StatusCode);
        Assert.Equal(Registered, AllowedOrigin(registered));
        Assert.Null(AllowedOrigin(stranger));
        Assert.Contains("Origin", registered.Headers.Vary);
    }

    [Fact]
    public async Task AClientRegisteredLaterIsServedAfterTheCacheInterval()
    {
        await _host.AddPublicClientAsync("late", corsOrigins: ["https://late.example"]);
        Assert.Null(AllowedOrigin(await PreflightAsync("/oauth2/token", Stranger)));

        _host.Time.Advance(Tessera.AspNetCore.Cors.RegisteredClientOrigins.RefreshInterval);

        Assert.Equal("https://late.example", AllowedOrigin(await PreflightAsync("/oauth2/token", "https://late.example")));
    }
}
