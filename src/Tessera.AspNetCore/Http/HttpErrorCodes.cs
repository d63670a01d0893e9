using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Http;

/// <summary>Codes for errors the framework raises before any Tessera code runs (routing, binding, limits).</summary>
public static class HttpErrorCodes
{
    public const string MalformedRequest = "malformed_request";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string Forbidden = "forbidden";
    public const string InternalError = "internal_error";

    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => TesseraErrorCodes.Unauthenticated,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => TesseraErrorCodes.RateLimited,
        StatusCodes.Status503ServiceUnavailable => TesseraErrorCodes.StoreUnavailable,
        >= 500 => InternalError,
        _ => MalformedRequest,
    };
}
