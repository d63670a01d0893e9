using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// An authorization requirement met by any one of <see cref="Scopes"/> among the user's
/// <c>scope</c> claims. When it is not met, it leaves the scopes it wanted on the request, so the
/// bearer scheme's 403 can say <c>error="insufficient_scope"</c> and name them (RFC 6750 §3.1).
/// </summary>
public sealed class ScopeRequirement : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    internal const string MissingScopeItem = "tessera.bearer.missing_scope";

    /// <summary>A requirement met by a token granting any one of <paramref name="scopes"/> (at least one; a scope is non-empty, without spaces).</summary>
    public ScopeRequirement(IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        Scopes = [.. scopes];
        if (Scopes.Count == 0 || Scopes.Any(s => string.IsNullOrEmpty(s) || s.Contains(' ', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Name at least one scope; a scope is a non-empty string without spaces (RFC 6749 §3.3).", nameof(scopes));
        }
    }

    /// <summary>The scopes of which the token must grant at least one.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (context.User.Claims.Any(c => c.Type == TesseraBearerDefaults.ScopeClaimType && requirement.Scopes.Contains(c.Value, StringComparer.Ordinal)))
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext http)
        {
            http.Items[MissingScopeItem] = string.Join(' ', requirement.Scopes);
        }

        return Task.CompletedTask;
    }

    /// <summary>The accepted scopes, for authorization logs.</summary>
    public override string ToString() => $"ScopeRequirement: one of {string.Join(' ', Scopes)}";
}
