using Npgsql;

namespace Tessera.PostgreSql.Tests.Changes;

/// <summary>
/// Listens to the schema's session channel on a connection of its own, below any feed, and hands
/// every raw payload on: what actually crosses the wire.
/// </summary>
internal sealed class RawChannelListener : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private RawChannelListener(NpgsqlConnection connection) => _connection = connection;

    /// <summary>Listening once this returns.</summary>
    public static async Task<RawChannelListener> StartAsync(string connectionString, Action<string> payload)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        connection.Notification += (_, e) => payload(e.Payload);
        await connection.OpenAsync();
        await using (NpgsqlCommand channel = new($"SELECT {PostgresSessionChanges.ChannelSql};", connection))
        {
            string name = (string)(await channel.ExecuteScalarAsync())!;
            await using NpgsqlCommand listen = new($"LISTEN \"{name}\";", connection);
            await listen.ExecuteNonQueryAsync();
        }

        var listener = new RawChannelListener(connection);
        listener._loop = Task.Run(async () =>
        {
            while (!listener._stop.IsCancellationRequested)
            {
                await connection.WaitAsync(listener._stop.Token);
            }
        });
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _connection.DisposeAsync();
        _stop.Dispose();
    }
}
