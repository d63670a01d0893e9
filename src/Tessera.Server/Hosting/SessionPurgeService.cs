using Microsoft.Extensions.Options;
using Tessera.Sessions;
using Tessera.Stores;

namespace Tessera.Server.Hosting;

/// <summary>Deletes sessions that ended more than the retention period ago, every purge interval.</summary>
internal sealed class SessionPurgeService(ISessionStore store, TimeProvider time, IOptions<TesseraServerOptions> options, ILogger<SessionPurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not ISessionCleanup cleanup)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SessionPurgeInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    int purged = await cleanup.PurgeAsync(time.GetUtcNow() - options.Value.SessionRetention, stoppingToken);
                    ServerLog.Purged(logger, purged);
                }
                catch (StoreUnavailableException ex)
                {
                    ServerLog.PurgeFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, or a start that failed after this service began (the host disposes it
            // without a stop): not an error worth a critical log line.
        }
    }
}
