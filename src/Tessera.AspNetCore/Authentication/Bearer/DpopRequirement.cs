using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// An authorization requirement met only by a request authenticated with a DPoP-bound access token
/// and its proof (the <see cref="TesseraBearerDefaults.DpopKeyThumbprintClaimType"/> claim the bearer
/// handlers add after RFC 9449 §7.1's checks). When it is not met it marks the request, so the
/// handler's 403 carries a <c>DPoP</c> challenge telling the client what to send. Add it with
/// <c>RequireDpop()</c>.
/// </summary>
public sealed class DpopRequirement : AuthorizationHandler<DpopRequirement>, IAuthorizationRequirement
{
    internal const string MissingItem = "tessera.bearer.dpop_required";

    private DpopRequirement()
    {
    }

    /// <summary>The one instance (the requirement has no settings).</summary>
    public static DpopRequirement Instance { get; } = new();

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, DpopRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.HasClaim(c => c.Type == TesseraBearerDefaults.DpopKeyThumbprintClaimType && c.Value.Length > 0))
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext http)
        {
            http.Items[MissingItem] = true;
        }

        return Task.CompletedTask;
    }

    /// <summary>For authorization logs.</summary>
    public override string ToString() => "DpopRequirement: a DPoP-bound access token with a valid proof";
}
