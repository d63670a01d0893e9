using Microsoft.AspNetCore.Authentication;

namespace Tessera.AspNetCore.Authentication.IssuedBearer;

/// <summary>Options of the server's own bearer scheme (the access tokens this server issued).</summary>
public sealed class IssuedBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>Options with do-nothing events.</summary>
    public IssuedBearerOptions() => Events = new IssuedBearerEvents();

    /// <summary>Also read the access token from this cookie (token delivery in cookies); null: only the Authorization header.</summary>
    public string? AccessTokenCookieName { get; set; } = IssuedBearerDefaults.AccessTokenCookieName;

    /// <summary>The scheme's events (the base class's, typed).</summary>
    public new IssuedBearerEvents Events
    {
        get => (IssuedBearerEvents)base.Events!;
        set => base.Events = value;
    }
}
