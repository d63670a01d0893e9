namespace Tessera.AspNetCore.Authentication.Middleware;

/// <summary>What Tessera's fast paths ask of a resolved service before they may do its work without it.</summary>
internal static class FrameworkServices
{
    /// <summary>
    /// The framework's type or the framework's own subclass of it (IAuthenticationService and
    /// IAuthorizationService are internal subclasses that record metrics), never an application's.
    /// </summary>
    public static bool IsFrameworks(object? service, Type expected) =>
        service is not null && expected.IsInstanceOfType(service) && service.GetType().Assembly == expected.Assembly;
}
