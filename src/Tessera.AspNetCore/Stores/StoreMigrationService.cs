using Microsoft.Extensions.Hosting;
using Tessera.Stores;

namespace Tessera.AspNetCore.Stores;

/// <summary>
/// Runs every registered <see cref="IStoreMigrator"/> (one per backend registration) before the
/// host takes requests. It works in <see cref="StartingAsync"/>, which the host runs for every
/// service before any <c>StartAsync</c>: the key-ring check, the Data Protection key ring (in the
/// PostgreSQL database with <c>AddTesseraPostgres</c>) and the server find their tables there,
/// whatever order the app called <c>AddTessera</c> and the store registrations in.
/// </summary>
internal sealed class StoreMigrationService(IEnumerable<IStoreMigrator> migrators) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (IStoreMigrator migrator in migrators)
        {
            try
            {
                await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or StoreUnavailableException)
            {
                // The host stops with this one line (the server prints it as "Tessera cannot start: …").
                string reason = ex.InnerException?.Message ?? ex.Message;
                throw new InvalidOperationException($"{migrator.Target} cannot be created or opened: {reason}", ex);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
