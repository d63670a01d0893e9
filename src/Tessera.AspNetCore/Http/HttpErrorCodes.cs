namespace Tessera.AspNetCore.Http;

/// <summary>
/// Codes for errors the framework raises before any Tessera code runs (routing, binding, limits).
/// Their statuses are in <see cref="TesseraErrorCatalog"/>.
/// </summary>
public static class HttpErrorCodes
{
    /// <summary>The request could not be read (bad JSON, a missing or unbindable parameter): 400.</summary>
    public const string MalformedRequest = "malformed_request";
    /// <summary>No endpoint at this path: 404.</summary>
    public const string NotFound = "not_found";
    /// <summary>The path exists but not for this method: 405.</summary>
    public const string MethodNotAllowed = "method_not_allowed";
    /// <summary>The body is larger than the limit: 413.</summary>
    public const string PayloadTooLarge = "payload_too_large";
    /// <summary>The body is not JSON (or the form the endpoint reads): 415.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";
    /// <summary>Authenticated but not allowed: 403.</summary>
    public const string Forbidden = "forbidden";
    /// <summary>An unexpected failure, answered without detail: 500.</summary>
    public const string InternalError = "internal_error";

    /// <summary>The code of a framework error that carries only a status; see <see cref="TesseraErrorCatalog.CodeForStatus"/>.</summary>
    public static string ForStatus(int status) => TesseraErrorCatalog.CodeForStatus(status);
}
