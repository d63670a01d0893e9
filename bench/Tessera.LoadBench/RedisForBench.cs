namespace Tessera.LoadBench;

/// <summary>A Redis server for the scenarios that need one (wired when the Redis store lands).</summary>
public sealed class RedisForBench : IAsyncDisposable
{
    public string Configuration { get; } = "";

    public static Task<RedisForBench> StartAsync(string? cores, string workFolder, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the Redis scenarios are not wired yet");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
