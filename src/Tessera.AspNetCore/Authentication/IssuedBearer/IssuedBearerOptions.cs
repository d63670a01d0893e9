using Microsoft.AspNetCore.Authentication;

namespace Tessera.AspNetCore.Authentication.IssuedBearer;

public sealed class IssuedBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>Also read the access token from this cookie (token delivery in cookies); null: only the Authorization header.</summary>
    public string? AccessTokenCookieName { get; set; } = IssuedBearerDefaults.AccessTokenCookieName;
}
