using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Sessions;
using Tessera.Sqlite;

namespace Tessera.Server.Tests.Tokens;

public sealed class ConcurrentRefreshTests : IDisposable
{
    private readonly RotationCounter _rotations = new();
    private readonly TestServerFactory _server;

    public ConcurrentRefreshTests() =>
        _server = new TestServerFactory(services: services =>
            services.AddSingleton<ISessionStore>(sp => new CountingRotationStore(new SqliteSessionStore(sp.GetRequiredService<SqliteDatabase>()), _rotations)));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AHundredParallelRefreshesOfOneTokenRotateItExactlyOnce()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement first = await client.RegisterAndSignInForTokensAsync("alice");

        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => client.RefreshAsync(first.Refresh()))));

        Assert.Equal(1, _rotations.Succeeded);
        // Every answer is either refused or carries the one new token (the winner's, or the grace answer).
        var issued = new HashSet<string>(StringComparer.Ordinal);
        foreach (HttpResponseMessage response in responses)
        {
            JsonElement body = await response.JsonAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                issued.Add(body.Refresh());
            }
            else
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
        }

        string live = Assert.Single(issued);
        SessionRecord stored = await _server.StoredSessionAsync(first.SessionId());
        Assert.False(stored.IsRevoked);
        Assert.Equal(TokenHttp.HashOf(live), stored.SecretHash.ToArray());
        Assert.Equal(TokenHttp.HashOf(first.Refresh()), stored.PreviousSecretHash?.ToArray());
        await (await client.RefreshAsync(live)).AssertOkJsonAsync();
    }

    private sealed class RotationCounter
    {
        private int _succeeded;

        public int Succeeded => Volatile.Read(ref _succeeded);

        public void Count() => Interlocked.Increment(ref _succeeded);
    }

    /// <summary>The real SQLite store, counting the compare-and-swaps that won.</summary>
    private sealed class CountingRotationStore(SqliteSessionStore inner, RotationCounter counter)
        : ISessionStore, ISessionListing, ISessionSecretRotation, ISessionAttributeStore, ISessionCleanup
    {
        public async ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt, ReadOnlyMemory<byte>? rotatedBy, CancellationToken cancellationToken)
        {
            bool swapped = await inner.TryRotateSecretAsync(handle, expectedHash, nextHash, rotatedAt, idleExpiresAt, rotatedBy, cancellationToken);
            if (swapped)
            {
                counter.Count();
            }

            return swapped;
        }

        public ValueTask<SessionRecord?> FindByPreviousSecretHashAsync(ReadOnlyMemory<byte> previousHash, CancellationToken cancellationToken) => inner.FindByPreviousSecretHashAsync(previousHash, cancellationToken);

        public ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken) => inner.CreateAsync(session, cancellationToken);

        public ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken) => inner.FindBySecretHashAsync(secretHash, cancellationToken);

        public ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken) => inner.FindByHandleAsync(handle, cancellationToken);

        public ValueTask TouchAsync(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken) => inner.TouchAsync(handle, lastSeenAt, idleExpiresAt, cancellationToken);

        public ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) => inner.RevokeAsync(handle, revokedAt, reason, cancellationToken);

        public ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken) => inner.FlagAsync(handle, flaggedAt, reason, cancellationToken);

        public ValueTask<IReadOnlyList<SessionRecord>> ListActiveForUserAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken) => inner.ListActiveForUserAsync(userId, now, cancellationToken);

        public ValueTask<int> RevokeAllForUserAsync(string userId, string? exceptHandle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) => inner.RevokeAllForUserAsync(userId, exceptHandle, revokedAt, reason, cancellationToken);

        public ValueTask<IReadOnlyDictionary<string, string>> GetAttributesAsync(string handle, CancellationToken cancellationToken) => inner.GetAttributesAsync(handle, cancellationToken);

        public ValueTask<AttributeWrite> SetAttributeAsync(string handle, string key, string value, int maxAttributes, CancellationToken cancellationToken) => inner.SetAttributeAsync(handle, key, value, maxAttributes, cancellationToken);

        public ValueTask<bool> RemoveAttributeAsync(string handle, string key, CancellationToken cancellationToken) => inner.RemoveAttributeAsync(handle, key, cancellationToken);

        public ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => inner.PurgeAsync(cutoff, cancellationToken);
    }
}
