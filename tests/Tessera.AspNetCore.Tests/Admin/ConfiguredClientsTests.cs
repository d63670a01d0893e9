using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Clients;
using Tessera.InMemory;
using Tessera.OAuth;

namespace Tessera.AspNetCore.Tests.Admin;

/// <summary>Clients under <c>Tessera:Clients</c> are written to the client store when the host starts, configuration winning.</summary>
public sealed class ConfiguredClientsTests
{
    private readonly InMemoryClientStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AConfiguredClientExistsAfterStartWithTheHashOfItsSecret()
    {
        string secret = ClientSecrets.Generate().Secret;

        await using (await StartAsync(new()
        {
            ["Tessera:Clients:shop:Type"] = "confidential",
            ["Tessera:Clients:shop:DisplayName"] = "The shop",
            ["Tessera:Clients:shop:Secret"] = secret,
            ["Tessera:Clients:shop:RedirectUris:0"] = "https://shop.example.org/signin-oidc",
            ["Tessera:Clients:shop:PostLogoutRedirectUris:0"] = "https://shop.example.org/",
            ["Tessera:Clients:shop:Scopes:0"] = "openid",
            ["Tessera:Clients:shop:Scopes:1"] = "shop.orders",
            ["Tessera:Clients:shop:RequireConsent"] = "false",
            ["Tessera:Clients:spa:Type"] = "public",
            ["Tessera:Clients:spa:RedirectUris:0"] = "http://127.0.0.1:5173/callback",
            ["Tessera:Clients:spa:CorsOrigins:0"] = "http://127.0.0.1:5173",
        }))
        {
        }

        OAuthClient shop = (await _store.FindAsync("shop", default))!;
        OAuthClient spa = (await _store.FindAsync("spa", default))!;
        Assert.True(ClientSecrets.Matches(secret, shop.SecretHashes));
        Assert.Equal(("The shop", ClientAuthMethods.ClientSecretBasic, false), (shop.DisplayName, shop.TokenEndpointAuthMethod, shop.RequireConsent));
        Assert.Equal(["openid", "shop.orders"], shop.Scopes);
        Assert.Equal(["https://shop.example.org/"], shop.PostLogoutRedirectUris);
        Assert.Equal((ClientAuthMethods.None, 0), (spa.TokenEndpointAuthMethod, spa.SecretHashes.Count));
        Assert.Equal(["http://127.0.0.1:5173"], spa.CorsOrigins);
    }

    [Fact]
    public async Task AChangedConfigurationUpdatesTheClientAtTheNextStart()
    {
        string first = ClientSecrets.Generate().Secret;
        string second = ClientSecrets.Generate().Secret;
        await (await StartAsync(Shop(first, "https://shop.example.org/cb"))).DisposeAsync();
        DateTimeOffset created = (await _store.FindAsync("shop", default))!.CreatedAt;
        _time.Advance(TimeSpan.FromDays(3));

        await (await StartAsync(Shop(second, "https://shop.example.org/new-cb"))).DisposeAsync();

        OAuthClient shop = (await _store.FindAsync("shop", default))!;
        Assert.Equal(["https://shop.example.org/new-cb"], shop.RedirectUris);
        Assert.Equal(created, shop.CreatedAt);
        Assert.True(ClientSecrets.Matches(second, shop.SecretHashes));
        Assert.False(ClientSecrets.Matches(first, shop.SecretHashes));
    }

    [Fact]
    public async Task WithoutASecretInConfigurationTheStoredSecretsStay()
    {
        string secret = ClientSecrets.Generate().Secret;
        await (await StartAsync(Shop(secret, "https://shop.example.org/cb"))).DisposeAsync();

        await (await StartAsync(Shop(null, "https://shop.example.org/cb"))).DisposeAsync();

        Assert.True(ClientSecrets.Matches(secret, (await _store.FindAsync("shop", default))!.SecretHashes));
    }

    [Fact]
    public async Task TheClientIdSettingKeepsItsCase()
    {
        await (await StartAsync(new() { ["Tessera:Clients:mobile:ClientId"] = "Mobile.App", ["Tessera:Clients:mobile:Type"] = "public", ["Tessera:Clients:mobile:RedirectUris:0"] = "com.example.app:/callback" })).DisposeAsync();

        Assert.NotNull(await _store.FindAsync("Mobile.App", default));
    }

    [Theory]
    [InlineData("Tessera:Clients:shop:RedirectUris:0", "http://shop.example.org/cb", "redirectUris")]
    [InlineData("Tessera:Clients:shop:Secret", "hunter2", "secret")]
    [InlineData("Tessera:Clients:shop:Type", "trusted", "clientType")]
    [InlineData("Tessera:Clients:shop:GrantTypes:0", "password", "grantTypes")]
    public async Task AnInvalidClientStopsTheStartNamingItsKeyAndField(string key, string value, string field)
    {
        Dictionary<string, string?> settings = Shop(ClientSecrets.Generate().Secret, "https://shop.example.org/cb");
        settings[key] = value;

        InvalidOperationException failure = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(settings));

        Assert.Contains($"Tessera:Clients:shop is invalid ({field})", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.ListAsync(default));
    }

    [Fact]
    public async Task ANewSecretClientWithoutASecretStopsTheStart()
    {
        InvalidOperationException failure = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(Shop(null, "https://shop.example.org/cb")));

        Assert.Contains("needs a client secret", failure.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Shop(string? secret, string redirectUri) => new()
    {
        ["Tessera:Clients:shop:Type"] = "confidential",
        ["Tessera:Clients:shop:Secret"] = secret,
        ["Tessera:Clients:shop:RedirectUris:0"] = redirectUri,
    };

    private async Task<WebApplication> StartAsync(Dictionary<string, string?> settings)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton<IClientStore>(_store);
        builder.Services.AddTessera().AddTesseraInMemoryStores();
        builder.Services.AddTesseraClients(builder.Configuration.GetSection(TesseraClientsOptions.Section));
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        WebApplication app = builder.Build();
        try
        {
            await app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
