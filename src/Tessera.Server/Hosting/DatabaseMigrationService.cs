using Tessera.Server.Shop;
using Tessera.Sqlite;

namespace Tessera.Server.Hosting;

/// <summary>
/// Creates the data folder and the database and applies pending migrations before the server
/// takes requests (hosted services start before the server does).
/// </summary>
internal sealed class DatabaseMigrationService(SqliteDatabase database) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await database.MigrateAsync([.. TesseraSqliteSchema.Migrations, .. ShopSchema.Migrations], cancellationToken);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or Tessera.Stores.StoreUnavailableException)
        {
            string reason = ex.InnerException?.Message ?? ex.Message;
            throw new InvalidOperationException($"the database {database.Path} cannot be created or opened: {reason}", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
