using Microsoft.AspNetCore.Builder;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore;

public static class TesseraApplicationBuilderExtensions
{
    /// <summary>
    /// The middleware Tessera's endpoints rely on, in order: exceptions and bodiless error statuses
    /// become problem+json, CORS (answers preflights before anything counts or checks them; see
    /// <see cref="Cors.TesseraCors"/>), oversized bodies are refused, then rate limiting,
    /// authentication and authorization.
    /// </summary>
    public static IApplicationBuilder UseTessera(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
