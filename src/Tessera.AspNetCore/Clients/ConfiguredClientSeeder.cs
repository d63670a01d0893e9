using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.OAuth;
using Tessera.OAuth.Registration;

namespace Tessera.AspNetCore.Clients;

/// <summary>
/// Writes the configured clients (<see cref="TesseraClientsOptions"/>) into the client store at
/// start, configuration winning over what is stored: a changed setting takes effect at the next
/// restart. It works in <see cref="StartAsync"/>, after every store migration (those run in
/// <c>StartingAsync</c>) and before the server takes requests. A client removed from the
/// configuration stays registered (it may have been added with the CLI): remove it with
/// <c>tessera client remove</c>. An invalid client stops the start with the key and the reason.
/// </summary>
internal sealed partial class ConfiguredClientSeeder(IServiceProvider services, IOptions<TesseraClientsOptions> options, ILogger<ConfiguredClientSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, ConfiguredClient> configured = options.Value.Clients;
        if (configured.Count == 0)
        {
            return;
        }

        if (services.GetService<IClientStore>() is not { } store)
        {
            throw new InvalidOperationException($"{TesseraClientsOptions.Section} names clients, but no client store is registered (AddTesseraInMemoryStores, AddTesseraSqlite or AddTesseraPostgres).");
        }

        var registration = new ClientRegistration(store, services.GetRequiredService<TimeProvider>());
        foreach ((string key, ConfiguredClient client) in configured.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            ClientRegistrationRequest request = client.ToRegistration(key);
            if (ClientRegistrationRules.Validate(request) is [var first, ..])
            {
                throw Invalid(key, first.Field, first.Message);
            }

            Outcome<RegisteredClient> upserted = await registration.UpsertAsync(request, string.IsNullOrEmpty(client.Secret) ? null : client.Secret, cancellationToken).ConfigureAwait(false);
            if (!upserted.Succeeded)
            {
                throw Invalid(key, "secret", upserted.Error.Message);
            }

            LogRegistered(logger, upserted.Value.Client.ClientId, upserted.Value.Client.ClientType, upserted.Value.Client.SecretHashes.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static InvalidOperationException Invalid(string key, string field, string message) =>
        new($"{TesseraClientsOptions.Section}:{key} is invalid ({field}): {message}");

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Configured client {ClientId} ({ClientType}, {SecretCount} secret(s)) registered")]
    private static partial void LogRegistered(ILogger logger, string clientId, string clientType, int secretCount);
}
