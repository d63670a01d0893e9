using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Tessera.Sessions;
using Tessera.Testing.Servers;
using Xunit.Abstractions;

namespace Tessera.Redis.Tests;

/// <summary>
/// Memory per stored session in Redis: INFO memory's used_memory before and after writing the
/// sessions, divided by their number. Run:
/// <c>TESSERA_MEASURE=1 dotnet test tests/Tessera.Redis.Tests --filter Category=Measurement --logger "console;verbosity=detailed"</c>
/// </summary>
[Trait("Category", "Measurement")]
public sealed class RedisMemoryMeasurement(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Sessions = 100_000;
    private const int SessionsPerUser = 2;

    // A browser's user agent and an IPv4 address: what a cookie session usually carries.
    private static readonly SessionClient Browser = new("203.0.113.45", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36");

    private readonly RedisServer _server = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [MeasurementFact]
    public async Task MemoryPerCookieSessionAndPerRotatedTokenSession()
    {
        await using StackExchange.Redis.IConnectionMultiplexer connection = await TesseraRedisConnection.ConnectAsync(_server.Configuration + ",asyncTimeout=30000");
        var store = new RedisSessionStore(connection, new RedisSessionStoreOptions(), _time);
        var sessions = new SessionService(store, new TesseraSessionOptions(), _time);

        long cookie = await BytesPerSessionAsync(i => sessions.CreateAsync(UserOf(i, "c"), Browser, CancellationToken.None).AsTask());
        // A refresh of a version-2 refresh token (every token issued since generations): adds the
        // previous hash, the rotation time, the generation and the rotating client's fingerprint to
        // the hash, and no key (#13: the previous token is found by the handle it names).
        long token = await BytesPerSessionAsync(i => RotatedOnceAsync(sessions, UserOf(i, "t"), PreviousSecretLookup.ByHandle));
        // The same refresh of a version-1 token, which names no session: its hash is also indexed
        // (a prev: key), as every refresh did before #13's fourth slice. The difference is the key.
        long indexed = await BytesPerSessionAsync(i => RotatedOnceAsync(sessions, UserOf(i, "i"), PreviousSecretLookup.ByHash));

        output.WriteLine($"redis-server {(await _server.InfoAsync("server"))["redis_version"]}, {Sessions} sessions, {SessionsPerUser} per user");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cookie session: {cookie} bytes, about {(1L << 30) / cookie:N0} per GiB"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"token session, rotated once: {token} bytes, about {(1L << 30) / token:N0} per GiB"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"token session, rotated once with a prev: key (version-1 token; every refresh before): {indexed} bytes"));
    }

    private static async Task RotatedOnceAsync(SessionService sessions, string user, PreviousSecretLookup lookup)
    {
        IssuedSession issued = await sessions.CreateAsync(user, Browser, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), CancellationToken.None);
        await sessions.TryRotateSecretAsync(issued.Session, issued.Session.SecretHash, SessionSecret.Generate().Hash, new SessionLifetime(TimeSpan.FromDays(14), TimeSpan.FromDays(30)), Browser, lookup, CancellationToken.None);
    }

    private static string UserOf(int i, string kind) => $"{kind}-user-{i / SessionsPerUser:D7}";

    private async Task<long> BytesPerSessionAsync(Func<int, Task> write)
    {
        long before = await UsedMemoryAsync();
        int next = -1;
        // A few writers at once, as several server instances would; each takes the next index.
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            for (int i = Interlocked.Increment(ref next); i < Sessions; i = Interlocked.Increment(ref next))
            {
                await write(i);
            }
        })));
        long after = await UsedMemoryAsync();
        return (after - before) / Sessions;
    }

    private async Task<long> UsedMemoryAsync() => long.Parse((await _server.InfoAsync("memory"))["used_memory"], CultureInfo.InvariantCulture);
}
