using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Authentication.Bearer;

namespace Tessera.AspNetCore.Tests.Bearer;

/// <summary>An issuer per test, a fake clock that starts at the real time, and helpers to read answers.</summary>
public abstract class BearerTestBase : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected FakeIssuer Issuer { get; private set; } = null!;

    private readonly List<ResourceServer> _servers = [];

    public async Task InitializeAsync() => Issuer = await FakeIssuer.StartAsync(Time);

    public async Task DisposeAsync()
    {
        foreach (ResourceServer server in _servers)
        {
            await server.DisposeAsync();
        }

        await Issuer.DisposeAsync();
    }

    /// <summary>Whether the APIs authenticate with <c>UseTesseraAuthentication()</c> (a test class's FastPath twin) instead of <c>UseAuthentication()</c>.</summary>
    protected virtual bool TesseraAuthentication => false;

    protected async Task<ResourceServer> StartApiAsync(Action<TesseraBearerOptions>? more = null, Action<Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions>? microsoft = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null, bool fastAuthorization = false)
    {
        ResourceServer server = await ResourceServer.StartAsync(o =>
        {
            o.Authority = Issuer.Authority;
            o.Audience = FakeIssuer.Audience;
            o.RequireHttps = false;
            o.TimeProvider = Time;
            more?.Invoke(o);
        }, microsoft, services, fastAuthorization, TesseraAuthentication);
        _servers.Add(server);
        return server;
    }

    protected static async Task<string?> ErrorCodeOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.TryGetProperty("error", out JsonElement error) ? error.GetString() : null;
    }

    protected static string Challenge(HttpResponseMessage response) => string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));

    protected static async Task AssertRefusedAsync(HttpResponseMessage response, string code)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"", Challenge(response), StringComparison.Ordinal);
        Assert.Equal(code, await ErrorCodeOf(response));
    }

    protected static async Task AssertKeysUnavailableAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(TesseraBearerErrorCodes.JwksUnavailable, await ErrorCodeOf(response));
    }

    protected static async Task<Identity> AcceptedAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<Identity>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
    }
}
