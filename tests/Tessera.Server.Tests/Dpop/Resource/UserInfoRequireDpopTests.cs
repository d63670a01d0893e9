using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Authentication.IssuedBearer;

namespace Tessera.Server.Tests.Dpop.Resource;

/// <summary>
/// <see cref="IssuedBearerOptions.RequireDpop"/> refuses plain bearer tokens on the server's own APIs;
/// userinfo (an OAuth endpoint that reads its token itself) follows the same setting.
/// </summary>
public sealed class UserInfoRequireDpopTests : IDisposable
{
    private readonly TestServerFactory _server = new(services: services =>
        services.PostConfigure<IssuedBearerOptions>(IssuedBearerDefaults.AuthenticationScheme, options => options.RequireDpop = true));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task APlainBearerTokenIsRefusedAtUserInfoWhenTheServerRequiresDpop()
    {
        HttpClient http = _server.CreateBareClient();
        await http.RegisterAsync("alice");
        JsonElement pair = await (await http.PostJsonAsync("/auth/token", new { username = "alice", password = Http.Password })).AssertOkJsonAsync();
        string token = pair.GetProperty("access_token").GetString()!;

        HttpResponseMessage userInfo = await http.SendAsync(ServerDpop.Request(HttpMethod.Get, "/oauth2/userinfo", "Bearer", token));

        Assert.Equal(HttpStatusCode.Unauthorized, userInfo.StatusCode);
        Assert.DoesNotContain(userInfo.Headers.WwwAuthenticate, challenge => challenge.Scheme == "Bearer");
    }
}
