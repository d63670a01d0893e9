using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.OAuth;
using Tessera.OAuth.Authorization;

namespace Tessera.AspNetCore.Provider;

/// <summary>Registers the OAuth 2.1 / OpenID Connect provider's services.</summary>
public static class ProviderServiceCollectionExtensions
{
    /// <summary>
    /// The services of <see cref="ProviderEndpointRouteBuilderExtensions.MapTesseraProvider"/>, over
    /// the stores the host registered (<see cref="IClientStore"/>, <see cref="IAuthorizationCodeStore"/>,
    /// <see cref="IConsentStore"/>); resolved at the provider's first request, so a host without the
    /// OAuth stores starts all the same. <c>AddTessera</c> calls it.
    /// </summary>
    public static IServiceCollection AddTesseraProviderServices(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new AuthorizationRequestValidator(sp.GetRequiredService<IClientStore>()));
        services.TryAddSingleton(sp => new AuthorizationCodeIssuer(sp.GetRequiredService<IAuthorizationCodeStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new PendingAuthorizations(sp.GetRequiredService<IDataProtectionProvider>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ProviderServices>();
        return services;
    }
}
