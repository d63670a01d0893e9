using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tessera.Passwords;

namespace Tessera.AspNetCore.Tests.Passwords;

/// <summary>
/// Every hashing slot busy (#14 finding 2): a request path that hashes answers 503 problem+json
/// <c>server_busy</c> with <c>Retry-After</c>, through AddTessera's gate and exception handler.
/// </summary>
public sealed class PasswordHashingBusyTests
{
    [Fact]
    public async Task BusyHashingAnswers503WithRetryAfterAndTheServerBusyCode()
    {
        await using WebApplication app = await StartAsync();
        HttpClient client = app.GetTestClient();
        PasswordHashingGate gate = app.Services.GetRequiredService<PasswordHashingGate>();
        using var release = new ManualResetEventSlim();
        using var held = new SemaphoreSlim(0);
        Task<int> holder = Task.Run(() => gate.RunAsync(0, _ =>
        {
            held.Release();
            release.Wait(TimeSpan.FromMinutes(1));
            return 0;
        }, CancellationToken.None).AsTask());
        Assert.True(await held.WaitAsync(TimeSpan.FromMinutes(1)));

        HttpResponseMessage busy = await client.PostAsync(new Uri("/hash", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(4), busy.Headers.RetryAfter?.Delta);
        using JsonDocument problem = JsonDocument.Parse(await busy.Content.ReadAsStringAsync());
        Assert.Equal("server_busy", problem.RootElement.GetProperty("error").GetString());
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());

        release.Set();
        await holder;
        HttpResponseMessage after = await client.PostAsync(new Uri("/hash", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task LimitsOutOfRangeStopTheHostAtStart()
    {
        Exception refused = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(maxConcurrent: 0));

        Assert.Contains("Tessera:PasswordHashing", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartAsync(int maxConcurrent = 1)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UtcNow));
        builder.Services.AddTessera().AddTesseraInMemoryStores();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tessera:Passwords:MemoryKiB"] = "1024",
            ["Tessera:Passwords:Iterations"] = "1",
            ["Tessera:PasswordHashing:MaxConcurrent"] = maxConcurrent.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Tessera:PasswordHashing:MaxQueued"] = "0",
            ["Tessera:PasswordHashing:RetryAfter"] = "00:00:04",
        });
        builder.Services.AddOptions<Argon2idParameters>().Bind(builder.Configuration.GetSection("Tessera:Passwords"));
        builder.Services.AddOptions<PasswordHashingLimits>().Bind(builder.Configuration.GetSection("Tessera:PasswordHashing"));

        WebApplication app = builder.Build();
        app.UseTessera();
        app.MapPost("/hash", async (IPasswordHasher hasher, CancellationToken cancellationToken) =>
            Results.Ok(await hasher.HashAsync("correct horse battery", cancellationToken)));
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }
}
