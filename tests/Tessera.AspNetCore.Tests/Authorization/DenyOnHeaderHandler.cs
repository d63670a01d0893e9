using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Tests.Authorization;

/// <summary>An application's own handler: fails every requirement of a request that carries its header.</summary>
internal sealed class DenyOnHeaderHandler : IAuthorizationHandler
{
    public const string Header = "X-Test-Deny";

    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        if (context.Resource is HttpContext http && http.Request.Headers.ContainsKey(Header))
        {
            context.Fail();
        }

        return Task.CompletedTask;
    }
}
