namespace Tessera.AspNetCore.Http;

/// <summary>
/// Codes for errors the framework raises before any Tessera code runs (routing, binding, limits).
/// Their statuses are in <see cref="TesseraErrorCatalog"/>.
/// </summary>
public static class HttpErrorCodes
{
    public const string MalformedRequest = "malformed_request";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string Forbidden = "forbidden";
    public const string InternalError = "internal_error";

    /// <summary>The code of a framework error that carries only a status; see <see cref="TesseraErrorCatalog.CodeForStatus"/>.</summary>
    public static string ForStatus(int status) => TesseraErrorCatalog.CodeForStatus(status);
}
