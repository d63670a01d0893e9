using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Authentication;

namespace Tessera.AspNetCore.Tests.Authentication;

/// <summary>
/// The server's own bearer reads a cached token's scopes once, but every request's principal is
/// its own: a claim one request's claims transformation adds is not in the next request's
/// principal for the same access token.
/// </summary>
public sealed class IssuedBearerCachedPrincipalTests : IAsyncLifetime
{
    private const string AddHeader = "X-Test-Add-Claim";
    private const string AddedType = "added-by-request";

    private IssuedBearerHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await IssuedBearerHost.StartAsync(s => s.AddHttpContextAccessor().AddTransient<IClaimsTransformation, AddingTransformation>());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AClaimAddedByOneRequestIsNotInTheNextRequestsPrincipalForTheSameToken()
    {
        JsonElement tokens = await _host.SignInForTokensAsync("carol");
        string token = tokens.GetProperty("access_token").GetString()!;
        Assert.DoesNotContain(await ClaimsAsync(token, add: null), c => c[0] == AddedType);
        Assert.DoesNotContain(await ClaimsAsync(token, add: null), c => c[0] == AddedType);

        string[][] adding = await ClaimsAsync(token, add: "first");
        Assert.Contains(adding, c => c[0] == AddedType && c[1] == "first");

        string[][] next = await ClaimsAsync(token, add: null);
        Assert.DoesNotContain(next, c => c[0] == AddedType);
        Assert.Contains(next, c => c[0] == TesseraClaimTypes.SessionId);
        Assert.Equal(adding.Length - 1, next.Length);
    }

    private async Task<string[][]> ClaimsAsync(string token, string? add)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = IssuedBearerHost.Bearer(token);
        if (add is not null)
        {
            request.Headers.Add(AddHeader, add);
        }

        return await IssuedBearerHost.ClaimsAsync(await _host.Client.SendAsync(request));
    }

    private sealed class AddingTransformation(IHttpContextAccessor accessor) : IClaimsTransformation
    {
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            if (accessor.HttpContext?.Request.Headers.TryGetValue(AddHeader, out var value) == true)
            {
                ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(AddedType, value.ToString()));
            }

            return Task.FromResult(principal);
        }
    }
}
