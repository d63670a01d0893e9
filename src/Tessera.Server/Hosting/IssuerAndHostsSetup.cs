using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Tessera.Tokens;

namespace Tessera.Server.Hosting;

/// <summary>
/// The issuer and the hosts the server answers for. Without <c>Tessera:Tokens:Issuer</c>, the issuer
/// would be taken from each request's <c>Host</c>, so discovery (cached publicly) and tokens would
/// name whatever host a client sent (RFC 8414 §3.3: the issuer must be the one the client
/// expected). Outside Development the issuer must therefore be configured, and ASP.NET Core's host
/// filtering answers 400 to any other <c>Host</c> (defence against DNS rebinding and Host-header
/// poisoning, ASVS 5 V13).
/// </summary>
internal static class IssuerAndHostsSetup
{
    public const string IssuerKey = "Tessera:Tokens:Issuer";

    /// <summary>More host names this server answers for besides the issuer's (a list: <c>Tessera:AllowedHosts:0</c>…).</summary>
    public const string ExtraHostsKey = "Tessera:AllowedHosts";

    /// <summary>ASP.NET Core's own setting (semicolon-separated); when set, it is used exactly as written.</summary>
    public const string FrameworkAllowedHostsKey = "AllowedHosts";

    public const string MissingIssuer =
        "Tessera:Tokens:Issuer must be set outside Development (e.g. --Tessera:Tokens:Issuer https://auth.example.org): "
        + "without it the issuer, and the discovery document, would follow the Host header of each request.";

    public static WebApplicationBuilder AddTesseraIssuerAndHosts(this WebApplicationBuilder builder)
    {
        ConfigurationManager configuration = builder.Configuration;
        // Everything below is read when the options are first used, after every configuration
        // source (a test host's included) and the environment are in place.
        builder.Services.AddOptions<TesseraTokenOptions>()
            .PostConfigure(tokens =>
            {
                // Listening only where the server listens when nothing says otherwise
                // (http://127.0.0.1:5080, the quick start): its one origin is known, and is its issuer.
                if (string.IsNullOrWhiteSpace(tokens.Issuer)
                    && string.Equals(configuration[WebHostDefaults.ServerUrlsKey], ServerHost.DefaultUrl, StringComparison.Ordinal))
                {
                    // Issuer is init-only: the binder sets it, as it does from Tessera:Tokens.
                    DefaultIssuer.Bind(tokens);
                }
            })
            .Validate<IHostEnvironment>((tokens, environment) => environment.IsDevelopment() || !string.IsNullOrWhiteSpace(tokens.Issuer), MissingIssuer)
            .ValidateOnStart();

        // Runs before the framework's own post-configuration, which fills an empty list from
        // AllowedHosts or with "*"; a list set here stays.
        builder.Services.AddOptions<HostFilteringOptions>().Configure<IOptions<TesseraTokenOptions>, IHostEnvironment>((hosts, tokens, environment) =>
        {
            // Development keeps the framework's default (AllowedHosts, else every host), and an
            // operator's own AllowedHosts is used exactly as written.
            if (environment.IsDevelopment() || !string.IsNullOrWhiteSpace(configuration[FrameworkAllowedHostsKey]))
            {
                return;
            }

            if (tokens.Value.Issuer is { } issuer && Uri.TryCreate(issuer, UriKind.Absolute, out Uri? uri))
            {
                hosts.AllowedHosts = [uri.IdnHost, .. ExtraHosts(configuration)];
            }
        });
        return builder;
    }

    private static IConfiguration DefaultIssuer { get; } = new ConfigurationBuilder()
        .AddInMemoryCollection([new KeyValuePair<string, string?>(nameof(TesseraTokenOptions.Issuer), ServerHost.DefaultUrl)])
        .Build();

    /// <summary>Warns once, at start, when a Development server takes its issuer from requests.</summary>
    public static WebApplication WarnAboutRequestIssuer(this WebApplication app)
    {
        if (app.Environment.IsDevelopment() && app.Services.GetRequiredService<IOptions<TesseraTokenOptions>>().Value.Issuer is null)
        {
            HostingLog.IssuerFromRequests(app.Logger);
        }

        return app;
    }

    private static IEnumerable<string> ExtraHosts(ConfigurationManager configuration) =>
        configuration.GetSection(ExtraHostsKey).GetChildren()
            .Select(child => child.Value?.Trim())
            .Where(host => !string.IsNullOrEmpty(host))
            .Select(host => host!);
}
