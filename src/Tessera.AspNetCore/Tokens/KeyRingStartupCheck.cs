using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Keys;
using Tessera.Stores;

namespace Tessera.AspNetCore.Tokens;

/// <summary>
/// Reads the key ring once before the server takes requests: the first key is made then rather
/// than on the first sign-in, and a ring this instance cannot decrypt (lost Data Protection keys,
/// or instances sharing a store but not those keys) stops the start with the reason and the
/// remedy, instead of surfacing later as failing token requests. A store that is down is not a
/// reason to refuse: requests answer 503 until it is back.
/// </summary>
internal sealed partial class KeyRingStartupCheck(IServiceProvider services, ILogger<KeyRingStartupCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<ISigningKeyStore>() is null)
        {
            return; // no token mode in this host
        }

        try
        {
            (await services.GetRequiredService<SigningKeyRing>().GetAsync(cancellationToken).ConfigureAwait(false)).EnsureReadable();
        }
        catch (KeyRingUnavailableException ex)
        {
            LogUnusable(logger, ex.Message);
            throw;
        }
        catch (StoreUnavailableException ex)
        {
            LogStoreDown(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1101, Level = LogLevel.Critical, Message = "The key ring is unusable: {Reason}")]
    private static partial void LogUnusable(ILogger logger, string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "The key ring could not be read at start-up: the store is unavailable; token requests answer 503 until it returns")]
    private static partial void LogStoreDown(ILogger logger, Exception exception);
}
