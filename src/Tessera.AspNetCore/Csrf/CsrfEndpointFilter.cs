using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.Csrf;

/// <summary>Refuses state-changing requests that <see cref="CsrfCheck"/> finds cross-site: 403 <c>csrf_rejected</c>.</summary>
internal sealed partial class CsrfEndpointFilter(IOptions<CsrfOptions> options, ILogger<CsrfEndpointFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        HttpRequest request = context.HttpContext.Request;
        if (!CsrfCheck.IsAllowed(request, options.Value))
        {
            // Every value here comes from the request: escaped so it cannot forge or split a log line.
            LogRejected(logger, LogValue.Escape(request.Method), LogValue.Escape(request.Path.Value), LogValue.Escape(request.Headers.Origin.ToString()), LogValue.Escape(request.Headers["Sec-Fetch-Site"].ToString()));
            return TesseraProblems.Problem(StatusCodes.Status403Forbidden, TesseraErrorCodes.CsrfRejected, "Cross-site requests may not change state here.");
        }

        return await next(context).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Cross-site {Method} {Path} refused (Origin '{Origin}', Sec-Fetch-Site '{Site}')")]
    private static partial void LogRejected(ILogger logger, string method, string path, string origin, string site);
}

/// <summary>Applies the CSRF check to endpoints (<c>RequireCsrfProtection</c>).</summary>
public static class CsrfEndpointConventionBuilderExtensions
{
    /// <summary>Applies the Origin / Fetch-Metadata CSRF check to the endpoints' state-changing requests.</summary>
    public static TBuilder RequireCsrfProtection<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter<TBuilder, CsrfEndpointFilter>();
        return builder;
    }
}
