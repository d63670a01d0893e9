using Microsoft.AspNetCore.Builder;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore;

/// <summary>Adds Tessera's middleware to the pipeline (<c>UseTessera</c>).</summary>
public static class TesseraApplicationBuilderExtensions
{
    /// <summary>
    /// The middleware Tessera's endpoints rely on, in order: exceptions and bodiless error statuses
    /// become problem+json, CORS (answers preflights before anything counts or checks them; see
    /// <see cref="Cors.TesseraCors"/>), oversized bodies are refused, then rate limiting,
    /// duplicated credential cookies refused, authentication and authorization.
    /// </summary>
    public static IApplicationBuilder UseTessera(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseRateLimiter();
        // A credential cookie sent twice (cookie tossing) is refused before anyone reads it.
        app.UseMiddleware<DuplicateCookieGuard>();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
