using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Provider;

/// <summary>
/// A server-rendered page of the provider (sign-in, consent, errors, sign-out) with the headers that
/// keep it to itself: a strict Content-Security-Policy (no script but an exactly hashed one, the one
/// hashed style sheet, no framing, forms only to this origin and the client's verified redirect URI),
/// no MIME sniffing, no referrer (the URL may carry a pending request), no caching.
/// </summary>
internal sealed class HtmlPage(int status, string title, string body, IReadOnlyList<string> formTargets, string? scriptHash = null) : IResult
{
    /// <summary>Plain, readable, high-contrast; one block so its hash can be allowed and nothing else.</summary>
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b;background:#fff}" +
        "label{display:block;margin-top:1rem;font-weight:600}input[type=text],input[type=password]{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}" +
        "button{margin-top:1.25rem;margin-right:.5rem;padding:.5rem 1rem;font-size:1rem}:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}" +
        ".error{color:#a50e0e;font-weight:600}ul{padding-left:1.25rem}";

    private static readonly string StyleHash = Hash(Style);

    public static string Encode(string? value) => HtmlEncoder.Default.Encode(value ?? string.Empty);

    /// <summary>The CSP source of a form target (the origin of an http(s) URI, the scheme of a custom one); null when it cannot be expressed safely.</summary>
    public static string? SourceOf(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out Uri? parsed))
        {
            return null;
        }

        string source = parsed.Scheme is "http" or "https" ? parsed.GetLeftPart(UriPartial.Authority) : parsed.Scheme + ":";
        // CSP source expressions: no spaces, quotes, semicolons or commas may slip into the header.
        return source.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '/' or '.' or '-' or '+' or '[' or ']') ? source : null;
    }

    /// <summary>The base64 SHA-256 of an inline block, as CSP's <c>'sha256-…'</c> wants it.</summary>
    public static string Hash(string content) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        HttpResponse response = httpContext.Response;
        // A browser follows a redirect after a form post only to what form-action allows (CSP Level 3
        // §6.4.2), so the client's redirect URI must be listed when a form leads back to the client.
        string formAction = string.Join(' ', ["'self'", .. formTargets.Select(SourceOf).OfType<string>().Distinct(StringComparer.Ordinal)]);
        string script = scriptHash is null ? "'none'" : $"'sha256-{scriptHash}'";
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src {script}; style-src 'sha256-{StyleHash}'; img-src 'self'; form-action {formAction}; base-uri 'none'; frame-ancestors 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["X-Frame-Options"] = "DENY";
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";

        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(Encode(title)).Append(" \u2013 Tessera</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n")
            .Append(body)
            .Append("\n</main>\n</body>\n</html>\n");
        await response.WriteAsync(html.ToString(), httpContext.RequestAborted).ConfigureAwait(false);
    }
}
