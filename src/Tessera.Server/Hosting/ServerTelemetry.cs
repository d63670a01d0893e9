using System.Net;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Tessera.Telemetry;

namespace Tessera.Server.Hosting;

/// <summary>
/// OpenTelemetry for the server, from configuration (docs/telemetry.md). Off unless asked:
/// <list type="bullet">
/// <item><c>Tessera:Telemetry:Otlp:Endpoint</c> (an http(s) URL) sends Tessera's metrics and spans,
/// and ASP.NET Core's, over OTLP (<c>Protocol</c>: <c>http/protobuf</c>, the default, or <c>grpc</c>;
/// <c>MetricsInterval</c>: how often metrics are pushed, one minute by default).</item>
/// <item><c>Tessera:Telemetry:Prometheus:Enabled=true</c> answers scrapes on <c>Path</c>
/// (<c>/metrics</c>). Not to the world: by default only to a caller on this machine that came
/// straight in (loopback connection, no forwarding header, so not through a reverse proxy); with
/// <c>Port</c> set, only on connections to that local port (a listening address the operator adds,
/// e.g. <c>--urls "http://0.0.0.0:8080;http://10.0.0.5:9464"</c>, and firewalls). Anyone else gets 404.</item>
/// </list>
/// The libraries carry no OpenTelemetry dependency: they use the BCL <c>Meter</c> and
/// <c>ActivitySource</c> named <see cref="TesseraTelemetry.Name"/>, which this subscribes to.
/// </summary>
internal static class ServerTelemetry
{
    public const string Section = "Tessera:Telemetry";
    private const string DefaultScrapePath = "/metrics";

    /// <summary>
    /// Registers the exporters <paramref name="configuration"/> asks for. Called when the container
    /// is built (with the store choice, <see cref="StoreRegistration"/>): an in-process test host's
    /// configuration is in place only then.
    /// </summary>
    public static IServiceCollection AddTesseraServerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        IConfiguration telemetry = configuration.GetSection(Section);
        OtlpSettings? otlp = OtlpSettings.Read(telemetry.GetSection("Otlp"));
        bool prometheus = telemetry.GetValue("Prometheus:Enabled", false);
        if (otlp is null && !prometheus)
        {
            return services;
        }

        OpenTelemetry.OpenTelemetryBuilder open = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("tessera", serviceVersion: TesseraTelemetry.Version))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(TesseraTelemetry.Name).AddAspNetCoreInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp is not null)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        otlp.Apply(exporter, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)otlp.MetricsInterval.TotalMilliseconds;
                    });
                }
            });

        if (otlp is not null)
        {
            // Spans only go somewhere over OTLP (a scrape endpoint is metrics only).
            open.WithTracing(tracing => tracing
                .AddSource(TesseraTelemetry.Name)
                // The instrumentation redacts query strings by default; request bodies, cookies and
                // headers are not recorded at all.
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(exporter => otlp.Apply(exporter, "v1/traces")));
        }

        return services;
    }

    /// <summary>The Prometheus scrape endpoint, when on: first in the pipeline, so no authentication, rate limit or forwarding has touched the request.</summary>
    public static WebApplication UseTesseraScrapeEndpoint(this WebApplication app)
    {
        IConfiguration prometheus = app.Configuration.GetSection(Section).GetSection("Prometheus");
        if (!prometheus.GetValue("Enabled", false))
        {
            return app;
        }

        string path = prometheus["Path"] is { Length: > 0 } configured ? configured : DefaultScrapePath;
        if (!path.StartsWith('/'))
        {
            throw new InvalidOperationException($"{Section}:Prometheus:Path is '{path}': it must start with '/'.");
        }

        int? port = prometheus.GetValue<int?>("Port");
        if (port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{Section}:Prometheus:Port is {port}: it must be 1 to 65535.");
        }

        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase) && MayScrape(context, port));
        return app;
    }

    /// <summary>
    /// On the configured port, anyone who reaches it; without one, only a direct loopback caller. A
    /// request relayed by a reverse proxy on the same machine arrives on loopback too, so any
    /// forwarding header refuses it: the world must not read the metrics through the proxy.
    /// </summary>
    internal static bool MayScrape(HttpContext context, int? port)
    {
        if (port is int only)
        {
            return context.Connection.LocalPort == only;
        }

        return context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
            && !context.Request.Headers.ContainsKey(Microsoft.AspNetCore.HttpOverrides.ForwardedHeadersDefaults.XForwardedForHeaderName)
            && !context.Request.Headers.ContainsKey("Forwarded");
    }

    private sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol, TimeSpan MetricsInterval)
    {
        public static OtlpSettings? Read(IConfiguration otlp)
        {
            string? endpoint = otlp["Endpoint"];
            if (string.IsNullOrWhiteSpace(endpoint))
            {
                return null;
            }

            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException($"{Section}:Otlp:Endpoint is '{endpoint}': it must be an absolute http or https URL, such as http://localhost:4318.");
            }

            OtlpExportProtocol protocol = otlp["Protocol"] switch
            {
                null or "" or "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
                "grpc" => OtlpExportProtocol.Grpc,
                string other => throw new InvalidOperationException($"{Section}:Otlp:Protocol is '{other}': it must be http/protobuf or grpc."),
            };

            TimeSpan interval = otlp.GetValue("MetricsInterval", TimeSpan.FromMinutes(1));
            if (interval < TimeSpan.FromMilliseconds(100) || interval > TimeSpan.FromHours(1))
            {
                throw new InvalidOperationException($"{Section}:Otlp:MetricsInterval is {interval}: it must be 100 ms to 1 hour.");
            }

            return new OtlpSettings(uri, protocol, interval);
        }

        /// <summary>
        /// An endpoint set in code is used as written: over HTTP each signal needs its own path
        /// (OTLP/HTTP §"OTLP/HTTP Request": <c>/v1/metrics</c>, <c>/v1/traces</c>); gRPC takes the base.
        /// </summary>
        public void Apply(OtlpExporterOptions exporter, string signalPath)
        {
            exporter.Protocol = Protocol;
            exporter.Endpoint = Protocol == OtlpExportProtocol.Grpc
                ? Endpoint
                : new Uri(Endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
        }
    }
}
