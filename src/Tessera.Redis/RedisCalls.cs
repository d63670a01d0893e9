using StackExchange.Redis;
using Tessera.Stores;

namespace Tessera.Redis;

/// <summary>
/// Runs one Redis call: a cancelled token stops it before it is sent (StackExchange.Redis takes no
/// token, so an in-flight call is abandoned, not recalled), and an unreachable or overloaded Redis
/// becomes <see cref="StoreUnavailableException"/>, which HTTP hosts answer with 503.
/// </summary>
internal static class RedisCalls
{
    // Server errors that say "not now" rather than "wrong command": loading the data set after a
    // restart, a replica in read-only mode, a full disk refusing writes, a busy script.
    private static readonly string[] TransientErrors = ["LOADING", "READONLY", "MASTERDOWN", "MISCONF", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS"];

    public static async ValueTask<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await call().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisConnectionException ex)
        {
            throw new StoreUnavailableException("Redis could not be reached.", ex);
        }
        catch (RedisTimeoutException ex)
        {
            throw new StoreUnavailableException("Redis did not answer in time.", ex);
        }
        catch (RedisServerException ex) when (IsTransient(ex.Message))
        {
            throw new StoreUnavailableException("Redis refused the call for now.", ex);
        }
    }

    private static bool IsTransient(string message) =>
        TransientErrors.Any(code => message.StartsWith(code, StringComparison.Ordinal) || message.Contains(" " + code + " ", StringComparison.Ordinal));
}
