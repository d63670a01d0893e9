using Microsoft.Extensions.Options;

namespace Tessera.Server.Hosting;

/// <summary>The instance's name (<c>Tessera:InstanceName</c>), for operators running several behind a load balancer.</summary>
public sealed class InstanceNameOptions
{
    /// <summary>Unset (or empty) by default: no header. Up to 64 visible ASCII characters.</summary>
    public string? InstanceName { get; set; }

    public bool IsValid() => InstanceName is null || (InstanceName.Length <= 64 && InstanceName.All(c => c is > ' ' and <= '~'));
}

/// <summary>
/// Names the instance that answered in <c>X-Tessera-Instance</c> when one is configured, so a
/// response seen through a load balancer can be traced to its instance. Set when the response
/// starts, so error responses (whose headers the exception handler clears) carry it too.
/// </summary>
internal sealed class InstanceNameMiddleware(RequestDelegate next, IOptions<InstanceNameOptions> options)
{
    public const string HeaderName = "X-Tessera-Instance";

    public Task InvokeAsync(HttpContext context)
    {
        if (options.Value.InstanceName is { Length: > 0 } name)
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[HeaderName] = name;
                return Task.CompletedTask;
            });
        }

        return next(context);
    }
}

internal static class InstanceNameSetup
{
    public static IServiceCollection AddTesseraInstanceName(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InstanceNameOptions>().Bind(configuration.GetSection(TesseraServerOptions.Section))
            .Validate(o => o.IsValid(), "Tessera:InstanceName must be up to 64 visible ASCII characters (no spaces).")
            .ValidateOnStart();
        return services;
    }
}
