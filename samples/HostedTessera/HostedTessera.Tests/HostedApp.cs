using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Passwords;

namespace HostedTessera.Tests;

/// <summary>The sample app in memory, with its SQLite data folder in a fresh temporary folder.</summary>
public sealed class HostedApp : WebApplicationFactory<Program>
{
    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), "hosted-tessera-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A browser-like client: keeps cookies, speaks HTTPS (the session cookie is <c>__Host-</c>, so Secure).</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DataFolder", DataFolder);
        // Cheap password hashing for tests only: the default costs 19 MiB and tens of milliseconds a hash.
        builder.ConfigureTestServices(services =>
            services.AddSingleton<IPasswordHasher>(new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 })));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataFolder))
        {
            Directory.Delete(DataFolder, recursive: true);
        }
    }
}
