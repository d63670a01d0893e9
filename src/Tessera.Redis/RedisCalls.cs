using System.Runtime.CompilerServices;
using StackExchange.Redis;
using Tessera.Stores;
using Tessera.Telemetry;

namespace Tessera.Redis;

/// <summary>
/// Runs one Redis call: a cancelled token stops it before it is sent (StackExchange.Redis takes no
/// token, so an in-flight call is abandoned, not recalled), and an unreachable or overloaded Redis
/// becomes <see cref="StoreUnavailableException"/>, which HTTP hosts answer with 503. Every call is
/// measured (<see cref="StoreCall"/>, store <c>redis</c>) under the calling store method's name.
/// </summary>
internal static class RedisCalls
{
    // Server errors that say "not now" rather than "wrong command": loading the data set after a
    // restart, a replica in read-only mode, a full disk refusing writes, a busy script.
    private static readonly string[] TransientErrors = ["LOADING", "READONLY", "MASTERDOWN", "MISCONF", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS"];

    public static async ValueTask<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken, [CallerMemberName] string caller = "", [CallerFilePath] string callerFile = "")
    {
        cancellationToken.ThrowIfCancellationRequested();
        StoreCall measured = StoreCall.Start("redis", caller, callerFile);
        try
        {
            T result = await CallAsync(call, cancellationToken).ConfigureAwait(false);
            measured.End();
            return result;
        }
        catch (Exception ex)
        {
            measured.End(ex);
            throw;
        }
    }

    private static async ValueTask<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
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
