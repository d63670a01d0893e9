using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Tessera.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Tessera.Server.Tests;

public sealed class ConfigurationTests
{
    // The server's own composition on an in-process test server, started directly so the start-up
    // exception reaches the test (Program turns it into a message and an exit code; the process
    // tests check that part).
    internal static async Task<Exception> StartupFailureAsync(string key, string value)
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "tessera-server-tests", Guid.NewGuid().ToString("N"));
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        // Production needs a key-encryption key; the test's own setting may replace it.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(Testing.Servers.TestKeyEncryption.Default.Settings) { ["Tessera:DataDir"] = dataDirectory, [key] = value });
        builder.AddTesseraServer([]);
        await using WebApplication app = builder.Build();
        app.UseTesseraServer();
        try
        {
            return await Record.ExceptionAsync(() => app.StartAsync()) ?? throw new Xunit.Sdk.XunitException("The server started.");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("Tessera:Sessions:IdleTimeout", "-00:05:00", "Tessera:Sessions")]
    [InlineData("Tessera:Sessions:AbsoluteTimeout", "00:10:00", "Tessera:Sessions")]
    [InlineData("Tessera:Passwords:MemoryKiB", "64", "Tessera:Passwords")]
    [InlineData("Tessera:Lockout:FirstDelay", "00:00:00", "Tessera:Lockout")]
    [InlineData("Tessera:Lockout:AccountFailureLimit", "2", "Tessera:Lockout")]
    [InlineData("Tessera:RateLimits:SignInPerClient:PermitLimit", "0", "Tessera:RateLimits")]
    [InlineData("Tessera:MaxRequestBodyBytes", "10", "Tessera:MaxRequestBodyBytes")]
    [InlineData("Tessera:Csrf:TrustedOrigins:0", "https://example.org/path", "Tessera:Csrf:TrustedOrigins")]
    [InlineData("Tessera:SessionPurgeInterval", "00:00:00", "Tessera:SessionPurgeInterval")]
    [InlineData("Tessera:Audit:Retention", "00:00:00", "Tessera:Audit:Retention")]
    [InlineData("Tessera:SessionStore", "memcached", "Tessera:SessionStore")]
    [InlineData("Tessera:SessionStore", "redis", "Tessera:Redis:Configuration")]
    [InlineData("Tessera:RateLimits:Store", "memcached", "Tessera:RateLimits:Store")]
    [InlineData("Tessera:RateLimits:Store", "redis", "Tessera:Redis:Configuration")]
    [InlineData("Tessera:Store", "mysql", "Tessera:Store")]
    [InlineData("Tessera:Store", "postgres", "Tessera:Postgres:ConnectionString")]
    [InlineData("Tessera:Postgres:ConnectTimeout", "00:00:00", "Tessera:Postgres:ConnectTimeout")]
    public async Task InvalidValueStopsTheStartWithAMessageNamingTheSetting(string key, string value, string named)
    {
        Exception failure = await StartupFailureAsync(key, value);

        var validation = Assert.IsType<OptionsValidationException>(failure, exactMatch: true);
        Assert.Contains(named, string.Join(" ", validation.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Tessera:Sessions:BindTo", "everywhere")]
    [InlineData("Tessera:Sessions:IdleTimeout", "soon")]
    [InlineData("Tessera:RateLimits:SignInPerClient:WhenStoreUnavailable", "sometimes")]
    public async Task UnreadableValueStopsTheStartNamingTheKey(string key, string value)
    {
        Exception failure = await StartupFailureAsync(key, value);

        Assert.IsType<InvalidOperationException>(failure);
        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CookieNameThatIsNotATokenStopsTheStart()
    {
        Exception failure = await StartupFailureAsync("Tessera:Cookie:Name", "bad name;");

        Assert.IsType<InvalidOperationException>(failure);
        Assert.Contains("cookie name", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CookieNameIsConfigurable()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Cookie:Name"] = "__Host-shop" });
        HttpClient browser = server.CreateBrowser();
        await browser.RegisterAsync("alice");

        HttpResponseMessage response = await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });

        Assert.NotNull(response.SetCookie("__Host-shop"));
        Assert.Null(response.SetCookie());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/auth/me")).StatusCode);
    }

    [Fact]
    public async Task DataFolderHoldsOneWalDatabaseWithItsSchemaVersionsAndTheKeys()
    {
        using var server = new TestServerFactory();
        await server.CreateBrowser().RegisterAsync("alice");

        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "tessera.db")));
        Assert.Single(Directory.GetFiles(server.DataDirectory, "*.db"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(server.DataDirectory, "keys"), "*.xml"));
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "tessera.db")}");
        await connection.OpenAsync();
        await using SqliteCommand journal = connection.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", await journal.ExecuteScalarAsync());
        await using SqliteCommand versions = connection.CreateCommand();
        versions.CommandText = "SELECT module || ':' || MAX(version) FROM schema_migrations GROUP BY module ORDER BY module;";
        var modules = new List<string>();
        await using (SqliteDataReader reader = await versions.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                modules.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["shop:1", $"tessera:{Tessera.Sqlite.TesseraSqliteSchema.PasskeysVersion}"], modules);
    }

    [Fact]
    public async Task SessionsSurviveARestart()
    {
        using var first = new TestServerFactory();
        HttpClient browser = first.CreateBrowser();
        await browser.RegisterAsync("alice");
        string cookie = Http.CookieValue((await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).SetCookie()!);

        using var restarted = new TestServerFactory(dataDirectory: first.DataDirectory, time: first.Time);

        Assert.Equal(HttpStatusCode.OK, (await restarted.CreateBareClient().SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie))).StatusCode);
    }
}
