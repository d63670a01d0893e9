using Microsoft.Extensions.Options;
using Tessera.OAuth;
using Tessera.Sessions;
using Tessera.Stores;

namespace Tessera.Server.Hosting;

/// <summary>
/// Every purge interval, deletes sessions that ended, and authorization codes that expired, more
/// than the retention period ago. An expired code is kept that long so a late replay is still
/// recognised and revokes the session the code created (RFC 6749 §4.1.2).
/// </summary>
internal sealed class SessionPurgeService(ISessionStore store, IAuthorizationCodeStore codes, TimeProvider time, IOptions<TesseraServerOptions> options, ILogger<SessionPurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SessionPurgeInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                DateTimeOffset cutoff = time.GetUtcNow() - options.Value.SessionRetention;
                await PurgeSessionsAsync(cutoff, stoppingToken);
                await PurgeCodesAsync(cutoff, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, or a start that failed after this service began (the host disposes it
            // without a stop): not an error worth a critical log line.
        }
    }

    private async Task PurgeSessionsAsync(DateTimeOffset cutoff, CancellationToken stoppingToken)
    {
        if (store is not ISessionCleanup cleanup)
        {
            return;
        }

        try
        {
            int purged = await cleanup.PurgeAsync(cutoff, stoppingToken);
            ServerLog.Purged(logger, purged);
        }
        catch (StoreUnavailableException ex)
        {
            ServerLog.PurgeFailed(logger, ex);
        }
    }

    private async Task PurgeCodesAsync(DateTimeOffset cutoff, CancellationToken stoppingToken)
    {
        try
        {
            int purged = await codes.PurgeExpiredAsync(cutoff, stoppingToken);
            ServerLog.PurgedCodes(logger, purged);
        }
        catch (StoreUnavailableException ex)
        {
            ServerLog.PurgeFailed(logger, ex);
        }
    }
}
