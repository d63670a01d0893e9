using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>Registers the bearer scheme that accepts a Tessera server's access tokens (<c>AddTesseraBearer</c>) and its scope policies.</summary>
public static class TesseraBearerExtensions
{
    /// <summary>Adds the bearer-token scheme under <see cref="TesseraBearerDefaults.AuthenticationScheme"/>.</summary>
    public static AuthenticationBuilder AddTesseraBearer(this AuthenticationBuilder builder, Action<TesseraBearerOptions>? configure = null) =>
        builder.AddTesseraBearer(TesseraBearerDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the bearer-token scheme under <paramref name="authenticationScheme"/>. Its options are validated when the host starts.</summary>
    public static AuthenticationBuilder AddTesseraBearer(this AuthenticationBuilder builder, string authenticationScheme, Action<TesseraBearerOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddScheme<TesseraBearerOptions, TesseraBearerHandler>(authenticationScheme, configure);
        // After AddScheme, so the framework's own post-configuration (clock) has run before ours builds the key source.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<TesseraBearerOptions>, PostConfigureTesseraBearerOptions>());
        builder.Services.AddOptions<TesseraBearerOptions>(authenticationScheme).ValidateOnStart();
        // DPoP (RFC 9449 §11.1): a proof's jti is remembered in the replay store (beside the throttle store). A resource server with no
        // other Tessera services gets one in memory; a shared one (AddTesseraRedis) replaces it for a cluster.
        builder.Services.TryAddSingleton<Tessera.Throttling.IThrottleStore>(sp => new Tessera.InMemory.InMemoryThrottleStore(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.TryAddSingleton(sp => Tessera.Replay.ReplayStores.Over(sp.GetRequiredService<Tessera.Throttling.IThrottleStore>()));
        builder.Services.TryAddSingleton(sp => new Tessera.Dpop.DpopReplayCache(Tessera.Replay.ReplayStores.For(Tessera.Replay.ReplayPurpose.Dpop, sp.GetRequiredService<Tessera.Replay.IReplayStore>(), sp.GetRequiredService<Tessera.Throttling.IThrottleStore>())));
        return builder;
    }

    /// <summary>
    /// Requires that the request was authenticated with a DPoP-bound access token and a valid proof
    /// (RFC 9449 §7.1), by <c>AddTesseraBearer</c> or the server's own bearer: a plain bearer token,
    /// a session cookie or any other credential is answered 403 <c>dpop_required</c> with a
    /// <c>DPoP</c> challenge. For every endpoint at once, set <see cref="TesseraBearerDpopOptions.Require"/> instead.
    /// </summary>
    public static AuthorizationPolicyBuilder RequireDpop(this AuthorizationPolicyBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddRequirements(DpopRequirement.Instance);
    }

    /// <summary>
    /// Requires one of <paramref name="scopes"/> among the user's <c>scope</c> claims (the bearer
    /// scheme splits the token's space-separated <c>scope</c> into one claim per entry). Like
    /// <c>RequireRole</c>, any one of them suffices; chain calls to require several.
    /// </summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder builder, params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddRequirements(new ScopeRequirement(scopes));
    }
}
