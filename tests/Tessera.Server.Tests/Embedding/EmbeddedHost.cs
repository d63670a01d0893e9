using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore;
using Tessera.AspNetCore.Endpoints;
using Tessera.Passwords;

namespace Tessera.Server.Tests.Embedding;

/// <summary>
/// An app of its own that hosts Tessera as docs/embedding.md shows: AddTessera, one store
/// registration call per backend, the endpoints. Nothing of Tessera.Server.
/// </summary>
internal static class EmbeddedHost
{
    public static async Task<WebApplication> StartAsync(Action<IServiceCollection> addStores)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Services.AddTessera();
        addStores(builder.Services);
        // Cheap hashing for tests only; the defaults are tested elsewhere.
        builder.Services.AddSingleton<IPasswordHasher>(new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 }));
        WebApplication app = builder.Build();
        app.UseTessera();
        app.MapTesseraAuth();
        app.MapTesseraTokens();
        app.MapTesseraHealth();
        await app.StartAsync();
        return app;
    }

    public static HttpClient Client(this WebApplication app)
    {
        HttpClient client = app.GetTestClient();
        client.BaseAddress = new Uri("https://localhost");
        return client;
    }
}
