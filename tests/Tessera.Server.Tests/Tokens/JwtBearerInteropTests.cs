using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Authentication.Bearer;

namespace Tessera.Server.Tests.Tokens;

/// <summary>
/// Two resource-server handlers in a separate host — Microsoft's own JwtBearer and Tessera's
/// AddTesseraBearer — each find Tessera's keys by discovery alone (<c>Authority</c> →
/// <c>/.well-known/openid-configuration</c> → <c>jwks_uri</c>) from a Tessera server running on a
/// loopback port, accept its access tokens, and refuse tampered, expired and foreign ones.
/// </summary>
public sealed class JwtBearerInteropTests : IAsyncLifetime
{
    // Tessera's clock starts an hour in the past, so the first token it issues is long expired by
    // the resource server's real clock; then it moves to the present for the valid tokens.
    private const string MicrosoftScheme = "microsoft";
    private const string TesseraScheme = "tessera";

    private readonly FakeTimeProvider _tesseraTime = new(DateTimeOffset.UtcNow.AddHours(-1));
    private readonly TestServerFactory _tessera;
    private WebApplication? _resourceServer;
    private HttpClient? _tesseraClient;
    private HttpClient? _resourceClient;

    public JwtBearerInteropTests()
    {
        // A port known up front: the issuer (required outside Development) is the address resource servers use.
        int port = global::Tessera.Testing.Servers.LoopbackPort.Free();
        string address = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        _tessera = new TestServerFactory(new Dictionary<string, string?> { ["urls"] = address, ["Tessera:Tokens:Issuer"] = address }, time: _tesseraTime);
        _tessera.UseKestrel();
    }

    public async Task InitializeAsync()
    {
        _tessera.StartServer();
        string authority = _tessera.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _tesseraClient = new HttpClient { BaseAddress = new Uri(authority) };

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthentication().AddJwtBearer(MicrosoftScheme, options =>
        {
            options.Authority = authority;
            options.Audience = "tessera";
            // The Tessera server of this test listens on plain http on a loopback port; the
            // handler refuses http metadata unless told otherwise. Never do this outside tests.
            options.RequireHttpsMetadata = false;
            options.MapInboundClaims = false;
            options.TokenValidationParameters.ValidTypes = ["at+jwt"];
            options.TokenValidationParameters.ClockSkew = TimeSpan.Zero;
        }).AddTesseraBearer(TesseraScheme, options =>
        {
            options.Authority = authority;
            options.Audience = "tessera";
            options.RequireHttps = false; // the same test-only exception as above
            options.ClockSkew = TimeSpan.Zero;
        });
        builder.Services.AddAuthorization();
        _resourceServer = builder.Build();
        _resourceServer.UseAuthentication();
        _resourceServer.UseAuthorization();
        foreach (string scheme in new[] { MicrosoftScheme, TesseraScheme })
        {
            _resourceServer.MapGet($"/{scheme}/whoami", (HttpContext http) => new { sub = http.User.FindFirst("sub")?.Value, sid = http.User.FindFirst("sid")?.Value })
                .RequireAuthorization(new AuthorizationPolicyBuilder(scheme).RequireAuthenticatedUser().Build());
        }

        await _resourceServer.StartAsync();
        _resourceClient = _resourceServer.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _resourceClient?.Dispose();
        _tesseraClient?.Dispose();
        if (_resourceServer is not null)
        {
            await _resourceServer.DisposeAsync();
        }

        await _tessera.DisposeAsync();
    }

    private async Task<HttpResponseMessage> WhoAmIAsync(string scheme, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/{scheme}/whoami");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _resourceClient!.SendAsync(request);
    }

    [Theory]
    [InlineData(MicrosoftScheme)]
    [InlineData(TesseraScheme)]
    public async Task ResourceServerAcceptsTesserasTokensAndRefusesTamperedOrExpiredOnes(string scheme)
    {
        JsonElement user = await _tesseraClient!.RegisterAsync("alice");
        JsonElement expired = await _tesseraClient!.SignInForTokensAsync("alice");
        _tesseraTime.Advance(TimeSpan.FromHours(1));
        JsonElement pair = await _tesseraClient!.SignInForTokensAsync("alice");

        HttpResponseMessage accepted = await WhoAmIAsync(scheme, pair.Access());
        HttpResponseMessage tampered = await WhoAmIAsync(scheme, TokenHttp.Tampered(pair.Access()));
        HttpResponseMessage tooOld = await WhoAmIAsync(scheme, expired.Access());

        JsonElement whoami = await accepted.AssertOkJsonAsync();
        Assert.Equal(user.GetProperty("id").GetString(), whoami.GetProperty("sub").GetString());
        Assert.Equal(pair.SessionId(), whoami.GetProperty("sid").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Contains("invalid_token", tampered.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, tooOld.StatusCode);
        Assert.Contains("expired", tooOld.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MicrosoftScheme)]
    [InlineData(TesseraScheme)]
    public async Task ResourceServerRefusesATokenSignedByAKeyTesseraDoesNotPublish(string scheme)
    {
        await _tesseraClient!.RegisterAsync("alice");
        _tesseraTime.Advance(TimeSpan.FromHours(1));
        JsonElement pair = await _tesseraClient!.SignInForTokensAsync("alice");
        var stranger = Tessera.Jose.Keys.Jwk.Generate("ES256");
        var descriptor = new Tessera.Jose.Jwt.JwtDescriptor
        {
            Type = "at+jwt",
            Issuer = TokenHttp.Part(pair.Access(), 1).GetProperty("iss").GetString(),
            Subject = "someone",
            Audiences = ["tessera"],
            ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5),
        };
        string forged = Tessera.Jose.Jwt.JwtSigner.Sign(descriptor, stranger);

        Assert.Equal(HttpStatusCode.Unauthorized, (await WhoAmIAsync(scheme, forged)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WhoAmIAsync(scheme, pair.Access())).StatusCode);
    }
}
