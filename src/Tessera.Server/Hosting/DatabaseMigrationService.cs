namespace Tessera.Server.Hosting;

/// <summary>
/// Creates the database (or reaches it) and applies pending migrations of whichever store is
/// configured before the server takes requests (hosted services start before the server does).
/// </summary>
internal sealed class DatabaseMigrationService(IStoreMigrator migrator) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await migrator.MigrateAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or Tessera.Stores.StoreUnavailableException)
        {
            string reason = ex.InnerException?.Message ?? ex.Message;
            throw new InvalidOperationException($"{migrator.Target} cannot be created or opened: {reason}", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
