using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Tests.Tokens;
using Tessera.Sqlite;

namespace Tessera.Server.Tests.Embedding;

/// <summary>An app hosting Tessera on SQLite with <c>AddTesseraSqlite</c> alone: schema, an app migration, health, token sign-in.</summary>
public sealed class EmbeddedSqliteHostTests : IAsyncLifetime
{
    private static readonly SqliteMigration AppTable = new("my-app", 1, "the app's notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);");

    private readonly TesseraDataFolder _folder = new(Path.Combine(Path.GetTempPath(), "tessera-embedded-tests", Guid.NewGuid().ToString("N")));
    private WebApplication? _app;

    public async Task InitializeAsync() =>
        _app = await EmbeddedHost.StartAsync(services =>
        {
            services.AddTesseraSqlite(options =>
            {
                options.UseDataFolder(_folder);
                options.AdditionalMigrations.Add(AppTable);
            });
            services.AddDataProtection().SetApplicationName("embedded-test").PersistKeysToFileSystem(new DirectoryInfo(_folder.KeysPath));
        });

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder.Path, recursive: true);
    }

    [Fact]
    public async Task TheDatabaseIsMigratedBeforeTheFirstRequestWithTheAppsOwnTables()
    {
        await using var connection = new SqliteConnection($"Data Source={_folder.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('users', 'notes') ORDER BY name);";

        Assert.Equal("notes,users", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task HealthNamesTheSqliteStore()
    {
        JsonElement health = await (await _app!.Client().GetAsync("/healthz")).AssertOkJsonAsync();

        Assert.Equal(["sqlite"], health.GetProperty("stores").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task AUserSignsInForTokensAndTheKeyRingLivesInTheFolder()
    {
        HttpClient client = _app!.Client();
        JsonElement tokens = await client.RegisterAndSignInForTokensAsync("alice");

        JsonElement me = await (await client.GetWithBearerAsync("/auth/me", tokens.Access())).AssertOkJsonAsync();

        Assert.Equal("alice", me.GetProperty("user").GetProperty("username").GetString());
        Assert.NotEmpty(Directory.GetFiles(_folder.KeysPath, "*.xml"));
    }
}
