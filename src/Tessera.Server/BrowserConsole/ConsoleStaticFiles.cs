using Microsoft.AspNetCore.StaticFiles;

namespace Tessera.Server.BrowserConsole;

/// <summary>
/// Serves the browser console (wwwroot: plain HTML, CSS and ES modules, no build step) at <c>/</c>,
/// with headers that keep the page to itself: a strict Content-Security-Policy (no inline script or
/// style, nothing from other origins, no framing), no MIME sniffing, no referrer.
/// </summary>
internal static class ConsoleStaticFiles
{
    /// <summary>Every request the page makes goes to its own origin; nothing else is allowed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseTesseraConsole(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context => AddHeaders(context.Context.Response.Headers),
        });
        return app;
    }

    private static void AddHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        // The files are not fingerprinted: the browser may keep them but asks again (ETag) each
        // time, so a new version of the console is picked up at the next load.
        headers.CacheControl = "no-cache";
    }
}
