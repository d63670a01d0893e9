using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.InMemory;
using Tessera.Passkeys;

namespace Tessera.AspNetCore.Passkeys;

/// <summary>Registers the passkey services (<c>AddTessera</c> calls it).</summary>
internal static class PasskeyServiceCollectionExtensions
{
    /// <summary>
    /// The ceremonies, their state and the relying party; <see cref="TesseraPasskeyOptions"/> validated
    /// at start. A durable passkey store registered by a backend (SQLite, PostgreSQL) replaces the
    /// in-memory fallback registered here.
    /// </summary>
    public static IServiceCollection AddTesseraPasskeys(this IServiceCollection services)
    {
        services.AddOptions<TesseraPasskeyOptions>().Validate(o => o.Problem() is null,
            "Tessera:Passkeys is invalid: RelyingPartyId must be a domain, RelyingPartyName 1 to 64 characters, every Origins entry an origin such as https://example.org, RecentSignIn positive (at most a day).").ValidateOnStart();
        services.TryAddSingleton<IPasskeyStore, InMemoryPasskeyStore>();
        services.TryAddSingleton<PasskeyRelyingParty>();
        services.TryAddSingleton<PasskeyStates>();
        services.TryAddSingleton<PasskeyCeremonies>();
        return services;
    }
}
