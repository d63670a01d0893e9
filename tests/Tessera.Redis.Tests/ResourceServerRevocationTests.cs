using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;
using Tessera.Sessions;
using Tessera.Testing.Servers;

namespace Tessera.Redis.Tests;

/// <summary>
/// A resource server (AddTesseraBearer) reading the revocation list from the same real Redis the
/// session store writes: a revoked sid is refused without asking the issuer; Redis down is 503.
/// </summary>
public sealed class ResourceServerRevocationTests : IAsyncLifetime
{
    private const string Issuer = "https://auth.example";
    private const string Audience = "orders-api";

    private readonly RedisServer _redis = new();
    private readonly Jwk _key = Jwk.Generate("ES256");
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private IConnectionMultiplexer? _connection;
    private WebApplication? _api;
    private HttpClient? _client;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _connection = await TesseraRedisConnection.ConnectAsync(_redis.Configuration);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthentication(TesseraBearerDefaults.AuthenticationScheme).AddTesseraBearer(o =>
        {
            o.Authority = Issuer;
            o.Audience = Audience;
            o.Keys = JwkSet.Of(_key.ToPublicJwk());
            o.RevocationList = new RedisSessionRevocationList(_connection, _prefix);
        });
        builder.Services.AddAuthorization();
        _api = builder.Build();
        _api.UseAuthentication();
        _api.UseAuthorization();
        _api.MapGet("/orders", (ClaimsPrincipal user) => user.FindFirstValue("sid")).RequireAuthorization();
        await _api.StartAsync();
        _client = _api.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task ASessionRevokedInTheStoreIsRefusedByTheResourceServerAtOnce()
    {
        var store = new RedisSessionStore(_connection!, new RedisSessionStoreOptions { KeyPrefix = _prefix }, TimeProvider.System);
        var sessions = new SessionService(store, new TesseraSessionOptions(), TimeProvider.System);
        IssuedSession signedIn = await sessions.CreateAsync("alice", new SessionClient(null, null), CancellationToken.None);
        string token = TokenFor(signedIn.Session.Handle);
        Assert.Equal(HttpStatusCode.OK, (await GetOrdersAsync(token)).StatusCode);

        await sessions.RevokeAsync(signedIn.Session.Handle, RevocationReasons.SignedOut, CancellationToken.None);

        HttpResponseMessage refused = await GetOrdersAsync(token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(TesseraBearerErrorCodes.SessionRevoked, await ErrorOf(refused));
    }

    [Fact]
    public async Task WithRedisDownTheResourceServerAnswers503AndNeverAcceptsTheToken()
    {
        string token = TokenFor("some-session");
        await _redis.StopAsync();

        HttpResponseMessage response = await GetOrdersAsync(token).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(TesseraBearerErrorCodes.RevocationListUnavailable, await ErrorOf(response));
    }

    private Task<HttpResponseMessage> GetOrdersAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return _client!.SendAsync(request);
    }

    private string TokenFor(string sessionId)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return JwtSigner.Sign(new JwtDescriptor
        {
            Issuer = Issuer,
            Subject = "alice",
            Audiences = [Audience],
            IssuedAt = now,
            ExpiresAt = now.AddMinutes(10),
            JwtId = Guid.NewGuid().ToString("N"),
            Type = "at+jwt",
            AdditionalClaims = new JsonObject { ["sid"] = sessionId },
        }, _key);
    }

    private static async Task<string?> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
}
