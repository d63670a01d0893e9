using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Authentication.IssuedBearer;

public static class IssuedBearerExtensions
{
    /// <summary>
    /// Adds the server's bearer scheme and the selector scheme that sends a request to it when it
    /// carries a bearer token (header or access-token cookie), to the session cookie otherwise.
    /// </summary>
    public static AuthenticationBuilder AddTesseraIssuedBearer(this AuthenticationBuilder builder, Action<IssuedBearerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddScheme<IssuedBearerOptions, IssuedBearerHandler>(IssuedBearerDefaults.AuthenticationScheme, configure);
        builder.AddPolicyScheme(IssuedBearerDefaults.SelectorScheme, "Tessera session cookie or bearer token", options =>
            options.ForwardDefaultSelector = SelectScheme);
        return builder;
    }

    private static string SelectScheme(HttpContext context)
    {
        string authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return IssuedBearerDefaults.AuthenticationScheme;
        }

        return context.Request.Cookies.ContainsKey(IssuedBearerDefaults.AccessTokenCookieName)
            ? IssuedBearerDefaults.AuthenticationScheme
            : SessionCookieDefaults.AuthenticationScheme;
    }
}
