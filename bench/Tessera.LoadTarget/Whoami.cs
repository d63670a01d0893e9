using System.Security.Claims;

namespace Tessera.LoadTarget;

/// <summary>The one measured endpoint: who the request authenticated as.</summary>
public static class Whoami
{
    public const string Path = "/bench/whoami";

    public sealed record Response(string Sub);

    // Tessera's handlers name the subject "sub"; ASP.NET Core's JwtBearer maps it to NameIdentifier by default.
    public static Response Handle(ClaimsPrincipal user) =>
        new(user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous");
}
