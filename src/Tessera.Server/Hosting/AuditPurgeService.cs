using Microsoft.Extensions.Options;
using Tessera.Audit;
using Tessera.Stores;

namespace Tessera.Server.Hosting;

/// <summary>
/// Every purge interval (the sessions' one, <see cref="TesseraServerOptions.SessionPurgeInterval"/>),
/// deletes the audit events older than <see cref="TesseraAuditOptions.Retention"/>, so the log in
/// the database does not grow without bound.
/// </summary>
internal sealed partial class AuditPurgeService(IAuditLog log, TimeProvider time, IOptions<TesseraServerOptions> server, IOptions<TesseraAuditOptions> audit, ILogger<AuditPurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(server.Value.SessionPurgeInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PurgeAsync(time.GetUtcNow() - audit.Value.Retention, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, or a start that failed after this service began: not an error.
        }
    }

    private async Task PurgeAsync(DateTimeOffset cutoff, CancellationToken stoppingToken)
    {
        try
        {
            int purged = await log.PurgeAsync(cutoff, stoppingToken);
            Purged(logger, purged);
        }
        catch (StoreUnavailableException ex)
        {
            PurgeFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Debug, Message = "Purged {Count} audit events past the retention")]
    private static partial void Purged(ILogger logger, int count);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Purge of old audit events failed; retrying at the next interval")]
    private static partial void PurgeFailed(ILogger logger, Exception exception);
}
