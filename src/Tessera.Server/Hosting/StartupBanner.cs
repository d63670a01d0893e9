using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Tessera.Server.Hosting;

/// <summary>Logs the one start-up line: where the server listens and where its data lives.</summary>
internal sealed class StartupBanner(IHostApplicationLifetime lifetime, IServer server, IOptions<TesseraServerOptions> options, ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            ICollection<string>? addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
            string listening = addresses is { Count: > 0 } ? string.Join(", ", addresses) : "(in-process test server)";
            ServerLog.Started(logger, listening, options.Value.DataDirectory);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
