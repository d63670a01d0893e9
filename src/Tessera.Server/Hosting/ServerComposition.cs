using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore;
using Tessera.AspNetCore.Admin;
using Tessera.AspNetCore.Clients;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Csrf;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.OpenApi;
using Tessera.AspNetCore.Provider;
using Tessera.AspNetCore.RateLimiting;
using Tessera.AspNetCore.Tokens;
using Tessera.Keys;
using Tessera.Passwords;
using Tessera.Server.BrowserConsole;
using Tessera.Server.Shop;
using Tessera.Sqlite;
using Tessera.Sessions;
using Tessera.Tokens;
using Tessera.Users;

namespace Tessera.Server.Hosting;

/// <summary>Wires the server: configuration, the stores (SQLite or PostgreSQL), Tessera's services, the shop.</summary>
internal static class ServerComposition
{
    public const string ConsoleEnabledKey = "Tessera:Console:Enabled";

    /// <summary>Whether the server serves its OpenAPI document (public, no secret in it; on unless set to false).</summary>
    public const string OpenApiEnabledKey = "Tessera:OpenApi:Enabled";

    public static WebApplicationBuilder AddTesseraServer(this WebApplicationBuilder builder, string[] args)
    {
        ConfigurationManager configuration = builder.Configuration;
        // `--data DIR` is a friendlier spelling of `--Tessera:DataDir DIR`.
        ((IConfigurationBuilder)configuration).Add(new CommandLineConfigurationSource
        {
            Args = args,
            SwitchMappings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["--data"] = "Tessera:DataDir" },
        });

        if (string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(configuration["HTTP_PORTS"]) && string.IsNullOrEmpty(configuration["HTTPS_PORTS"])
            && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(ServerHost.DefaultUrl);
        }

        // Tessera:Tokens:Issuer required outside Development, and only the issuer's host answered.
        builder.AddTesseraIssuerAndHosts();

        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });

        IServiceCollection services = builder.Services;
        services.AddOptions<TesseraServerOptions>().Bind(configuration.GetSection(TesseraServerOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDir), "Tessera:DataDir must name a folder.")
            .Validate(o => o.SessionPurgeInterval > TimeSpan.Zero && o.SessionRetention >= TimeSpan.Zero, "Tessera:SessionPurgeInterval must be positive and Tessera:SessionRetention zero or more.")
            .ValidateOnStart();
        services.AddOptions<TesseraAuditOptions>().Bind(configuration.GetSection(TesseraAuditOptions.Section))
            .Validate(o => o.Retention > TimeSpan.Zero, "Tessera:Audit:Retention must be positive.")
            .ValidateOnStart();
        services.AddOptions<TesseraSessionOptions>().Bind(configuration.GetSection("Tessera:Sessions"));
        services.AddOptions<TesseraTokenOptions>().Bind(configuration.GetSection("Tessera:Tokens"));
        services.AddOptions<TesseraIntrospectionOptions>().Bind(configuration.GetSection("Tessera:Tokens:Introspection"));
        services.AddOptions<Argon2idParameters>().Bind(configuration.GetSection("Tessera:Passwords"));
        services.AddOptions<PasswordHashingLimits>().Bind(configuration.GetSection("Tessera:PasswordHashing"));
        services.AddOptions<Tessera.AspNetCore.BreachedPasswords.BreachedPasswordOptions>().Bind(configuration.GetSection(Tessera.AspNetCore.BreachedPasswords.BreachedPasswordOptions.Section));
        services.AddOptions<LockoutOptions>().Bind(configuration.GetSection("Tessera:Lockout"));
        services.AddOptions<TesseraRateLimitOptions>().Bind(configuration.GetSection("Tessera:RateLimits"));
        services.AddOptions<CsrfOptions>().Bind(configuration.GetSection("Tessera:Csrf"));
        services.AddOptions<Tessera.AspNetCore.Passkeys.TesseraPasskeyOptions>().Bind(configuration.GetSection(Tessera.AspNetCore.Passkeys.TesseraPasskeyOptions.Section));
        services.AddOptions<RequestBodyLimitOptions>().Bind(configuration.GetSection(TesseraServerOptions.Section));
        services.AddTesseraForwardedHeaders(configuration).AddTesseraInstanceName(configuration);
        services.AddOptions<SessionCookieOptions>(SessionCookieDefaults.AuthenticationScheme).Configure(options =>
        {
            if (configuration["Tessera:Cookie:Name"] is { Length: > 0 } name)
            {
                options.CookieName = name;
            }

            if (configuration["Tessera:Cookie:SameSite"] is { Length: > 0 } sameSite)
            {
                options.SameSite = SessionCookieOptions.ParseSameSite(sameSite)
                    ?? throw new InvalidOperationException($"Tessera:Cookie:SameSite is '{sameSite}': it must be Strict, Lax or None.");
            }

            options.RememberMe = configuration.GetValue("Tessera:Cookie:RememberMe", options.RememberMe);
        });

        // The stores' migrations run before every hosted service starts (AddTessera runs them).
        services.AddHostedService<SessionPurgeService>();
        services.AddHostedService<AuditPurgeService>();
        services.AddHostedService<StartupBanner>();

        services.AddTessera();
        // The OpenAPI document at /openapi/v1.json (Tessera:OpenApi:Enabled, on by default: docs/api.md).
        services.AddTesseraOpenApi();
        // OAuth clients registered from Tessera:Clients:{id}:… at every start.
        services.AddTesseraClients(configuration.GetSection(TesseraClientsOptions.Section));

        // The data-protection key ring protects the token signing keys at rest (in the database);
        // its own keys live in the data folder (0700, files 0600), not in the user's home directory,
        // encrypted with the key-encryption certificate (KeyRingEncryption). Instances that share
        // the database must share this folder (or another common key repository) too.
        services.AddDataProtection().SetApplicationName(DataProtectionSecretProtector.ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<TesseraServerOptions>, ILoggerFactory>((keys, server, loggers) =>
            keys.XmlRepository = new DataFolderXmlRepository(server.Value.DataFolder, loggers));

        // Tessera:Store (sqlite or postgres, which then keeps the data-protection keys too) and
        // Tessera:SessionStore=redis, through the backends' own registration calls.
        builder.AddTesseraStores();

        return builder;
    }

    public static WebApplication UseTesseraServer(this WebApplication app)
    {
        app.WarnAboutRequestIssuer();
        app.UseTesseraScrapeEndpoint();
        app.UseMiddleware<InstanceNameMiddleware>();
        // Before anything reads the client address (rate limits, sessions) or the scheme (issuer).
        app.UseTesseraForwardedHeaders();

        // The console (page, credential report, its endpoints such as the refresh-cookie theft
        // simulation) is a teaching aid: on in Development, off elsewhere unless
        // `Tessera:Console:Enabled=true` asks for it (issue #14: no teaching endpoint by default).
        bool console = app.Configuration.GetValue(ConsoleEnabledKey, defaultValue: app.Environment.IsDevelopment());
        if (console)
        {
            // The console's files first: public, so no authentication or rate limiting to pay for.
            app.UseTesseraConsole();
            app.UseCredentialReport();
        }

        app.UseTessera();
        app.MapTesseraHealth();
        app.MapTesseraAuth();
        app.MapTesseraTokens();
        app.MapTesseraProvider();
        app.MapTesseraAdmin();
        app.MapShop();
        if (app.Configuration.GetValue(OpenApiEnabledKey, defaultValue: true))
        {
            app.MapTesseraOpenApi();
        }
        if (console)
        {
            app.MapConsole();
        }

        return app;
    }
}
