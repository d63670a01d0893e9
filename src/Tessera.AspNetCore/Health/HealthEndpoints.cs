using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.Health;

/// <summary>
/// The health endpoints, over ASP.NET Core's <see cref="HealthCheckService"/>: liveness (checks
/// tagged <c>live</c>; Tessera adds none, so it answers while the process does, with no store
/// call), readiness (checks tagged <c>ready</c>: every store and the key ring) and <c>/healthz</c>,
/// the readiness checks in the shape it always had.
/// </summary>
internal static class HealthEndpoints
{
    public static Task<JsonHttpResult<HealthReportResponse>> LiveAsync(HealthCheckService health, IOptions<HealthCheckServiceOptions> options, HttpContext context, CancellationToken cancellationToken) =>
        ReportAsync(health, options.Value, TesseraHealthTags.Live, context, cancellationToken);

    public static Task<JsonHttpResult<HealthReportResponse>> ReadyAsync(HealthCheckService health, IOptions<HealthCheckServiceOptions> options, HttpContext context, CancellationToken cancellationToken) =>
        ReportAsync(health, options.Value, TesseraHealthTags.Ready, context, cancellationToken);

    /// <summary>
    /// <c>GET /healthz</c>: 200 <c>{"status":"ok","stores":[…]}</c> when every readiness check is
    /// healthy; else 503 problem+json: <c>store_unavailable</c> naming the first store down,
    /// <c>key_ring_unavailable</c> with the key ring's reason, or the generic 503 code for an
    /// application's own failing check.
    /// </summary>
    public static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> LegacyAsync(HealthCheckService health, IOptions<HealthCheckServiceOptions> options, CancellationToken cancellationToken)
    {
        List<HealthCheckRegistration> ready = Tagged(options.Value, TesseraHealthTags.Ready);
        HealthReport report = await health.CheckHealthAsync(r => r.Tags.Contains(TesseraHealthTags.Ready), cancellationToken).ConfigureAwait(false);
        List<string> stores = [];
        string? keyRingProblem = null;
        string? otherProblem = null;
        foreach (HealthCheckRegistration registration in ready)
        {
            HealthReportEntry entry = report.Entries[registration.Name];
            bool failed = entry.Status == HealthStatus.Unhealthy;
            if (registration.Tags.Contains(TesseraHealthTags.Store))
            {
                if (failed)
                {
                    return TesseraProblems.Problem(StatusCodes.Status503ServiceUnavailable, TesseraErrorCodes.StoreUnavailable, $"The {registration.Name} store did not answer.");
                }

                stores.Add(registration.Name);
            }
            else if (failed && registration.Name == TesseraHealthChecks.KeyRingCheckName)
            {
                keyRingProblem = entry.Exception is null ? entry.Description : "The key ring check failed.";
            }
            else if (failed)
            {
                otherProblem ??= $"The {registration.Name} check is unhealthy.";
            }
        }

        if (keyRingProblem is not null)
        {
            return TesseraProblems.Problem(StatusCodes.Status503ServiceUnavailable, TesseraErrorCodes.KeyRingUnavailable, keyRingProblem);
        }

        return otherProblem is not null
            ? TesseraProblems.Problem(StatusCodes.Status503ServiceUnavailable, HttpErrorCodes.ForStatus(StatusCodes.Status503ServiceUnavailable), otherProblem)
            : TypedResults.Ok(new HealthResponse("ok", stores));
    }

    private static async Task<JsonHttpResult<HealthReportResponse>> ReportAsync(HealthCheckService health, HealthCheckServiceOptions options, string tag, HttpContext context, CancellationToken cancellationToken)
    {
        HealthReport report = await health.CheckHealthAsync(r => r.Tags.Contains(tag), cancellationToken).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "no-store";
        // Unhealthy is 503 so that a load balancer takes the instance out; Degraded still serves (200).
        int status = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return TypedResults.Json(HealthReportResponse.From(report, Tagged(options, tag).Select(r => r.Name)), statusCode: status);
    }

    private static List<HealthCheckRegistration> Tagged(HealthCheckServiceOptions options, string tag) =>
        [.. options.Registrations.Where(r => r.Tags.Contains(tag))];
}
