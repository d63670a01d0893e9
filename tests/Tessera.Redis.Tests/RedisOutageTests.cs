using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Stores;
using Tessera.Testing.Servers;

namespace Tessera.Redis.Tests;

/// <summary>Redis stopped, crashed and restarted under the store: a fast, clear failure, then recovery with the data intact.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    // Not a performance bound: a call that takes this long is hanging, which is what must not happen.
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(15);
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly RedisServer _server = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private IConnectionMultiplexer? _connection;
    private RedisSessionStore? _store;

    private RedisSessionStore Store => _store!;

    private SessionService Sessions => new(Store, new TesseraSessionOptions(), _time);

    public async Task InitializeAsync()
    {
        await _server.StartAsync();
        _connection = await TesseraRedisConnection.ConnectAsync(_server.Configuration);
        _store = new RedisSessionStore(_connection, new RedisSessionStoreOptions(), _time);
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task CallsDuringAnOutageFailFastAndTheStoreRecoversWithItsDataWhenRedisReturns()
    {
        IssuedSession before = await Sessions.CreateAsync("user-1", Laptop, None);

        await _server.StopAsync();

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await Store.FindByHandleAsync(before.Session.Handle, None));
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await Sessions.CreateAsync("user-1", Laptop, None));
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await Store.ListActiveForUserAsync("user-1", Clock.Now(_time), None));
        Assert.True(clock.Elapsed < HangLimit, $"failing took {clock.Elapsed}");

        await _server.StartAsync();

        SessionRecord? found = await EventuallyAsync(() => Store.FindByHandleAsync(before.Session.Handle, None).AsTask());
        Assert.Equal(before.Session.SecretHash.ToArray(), found?.SecretHash.ToArray());
        Assert.True((await Sessions.ValidateAsync(before.Secret, Laptop, None)).Succeeded);
        Assert.Single(await Sessions.ListAsync("user-1", None));
    }

    [Fact]
    public async Task AcknowledgedWritesSurviveACrash()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        byte[] next = SessionSecret.Generate().Hash;
        Assert.True(await Store.TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, next, Clock.Now(_time), issued.Session.IdleExpiresAt, null, None));
        Assert.True(await Store.RevokeAsync(issued.Session.Handle, Clock.Now(_time), RevocationReasons.SignedOut, None));

        await _server.KillAsync();
        await _server.StartAsync();

        SessionRecord? found = await EventuallyAsync(() => Store.FindBySecretHashAsync(next, None).AsTask());
        Assert.Equal(issued.Session.Handle, found?.Handle);
        Assert.Equal(RevocationReasons.SignedOut, found?.RevocationReason);
        Assert.Equal(issued.Session.Handle, (await Store.FindByPreviousSecretHashAsync(issued.Session.SecretHash, None))?.Handle);
        Assert.Equal(1, found?.Generation);
    }

    [Fact]
    public async Task WithoutRedisAtStartTheConnectionOpensAndCallsFailFast()
    {
        string nobody = $"127.0.0.1:{_server.Port}";
        await _server.StopAsync();

        var clock = Stopwatch.StartNew();
        await using IConnectionMultiplexer connection = await TesseraRedisConnection.ConnectAsync(nobody);
        var store = new RedisSessionStore(connection, new RedisSessionStoreOptions(), _time);
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.FindByHandleAsync("x", None));
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await new RedisHealthProbe(connection).ProbeAsync(None));
        Assert.True(clock.Elapsed < HangLimit, $"failing took {clock.Elapsed}");

        await _server.StartAsync();
        await EventuallyAsync(async () => await new RedisSessionRevocationList(connection).IsRevokedAsync("x", None) ? "revoked" : "not revoked");
    }

    /// <summary>Retries while Redis is still unavailable (the client reconnects on its own within seconds).</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> call)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (StoreUnavailableException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200);
            }
        }
    }
}
