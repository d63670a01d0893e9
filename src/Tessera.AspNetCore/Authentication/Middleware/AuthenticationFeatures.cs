using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace Tessera.AspNetCore.Authentication.Middleware;

/// <summary>
/// What the framework's <c>AuthenticationMiddleware</c> sets on a request that authenticated (its
/// own class is internal): one object for <see cref="IAuthenticateResultFeature"/> and
/// <see cref="IHttpAuthenticationFeature"/>, where setting the user forgets the result, as there.
/// </summary>
internal sealed class AuthenticationFeatures(AuthenticateResult result) : IAuthenticateResultFeature, IHttpAuthenticationFeature
{
    private AuthenticateResult? _result = result;
    private ClaimsPrincipal? _user = result.Principal;

    public AuthenticateResult? AuthenticateResult
    {
        get => _result;
        set
        {
            _result = value;
            _user = _result?.Principal;
        }
    }

    public ClaimsPrincipal? User
    {
        get => _user;
        set
        {
            _user = value;
            _result = null;
        }
    }
}
