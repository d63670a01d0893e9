using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Provider;
using static Tessera.AspNetCore.Tests.Provider.ProviderAuthorizeHost;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>
/// Issue #14, findings 1 and 6: the provider's sign-in page checks passwords through the same path
/// as <c>/auth/session</c>: one set of counters per account and client, and an attacker's address
/// does not lock the owner out elsewhere.
/// </summary>
public sealed class ProviderSignInLockoutTests : IAsyncLifetime
{
    private const string ClientIpHeader = "X-Test-Client-IP";
    private const string Attacker = "203.0.113.66";
    private const string Owner = "198.51.100.7";

    private ProviderAuthorizeHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StartAsync(services => services.AddSingleton<IStartupFilter, ClientAddressFromHeader>());
        await _host.RegisterAsync("alice");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task WrongPasswordsOnThePageMakeThatAddressWaitEverywhereAndNoOtherAddress()
    {
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await SignInFromAsync(Attacker, $"guess {i}")).StatusCode);
        }

        // The attacker's address must wait: the right password is refused, and looks like a wrong one.
        HttpResponseMessage refused = await SignInFromAsync(Attacker, Password);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("The username or password is wrong.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await JsonSignInFromAsync(Attacker)).StatusCode);

        // The owner, elsewhere, signs in on the page and through the API.
        HttpResponseMessage signedIn = await SignInFromAsync(Owner, Password);
        Assert.StartsWith(ProviderPaths.Consent, signedIn.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await JsonSignInFromAsync(Owner)).StatusCode);
    }

    private async Task<HttpResponseMessage> SignInFromAsync(string ip, string password)
    {
        _host.ForgetCookies();
        HttpResponseMessage toSignIn = await _host.GetAsync(AuthorizeUrl());
        string page = await (await _host.GetAsync(toSignIn.Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
        string pending = HiddenValue(page, "request");
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/signin")
        {
            Content = new FormUrlEncodedContent([new("request", pending), new("username", "alice"), new("password", password)]),
        };
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        request.Headers.Add(ClientIpHeader, ip);
        return await _host.SendAsync(request);
    }

    private Task<HttpResponseMessage> JsonSignInFromAsync(string ip)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/session") { Content = JsonContent.Create(new { username = "alice", password = Password }) };
        request.Headers.Add(ClientIpHeader, ip);
        return _host.Client.SendAsync(request);
    }

    /// <summary>TestServer has no peer address; each request says which one it comes from.</summary>
    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientIpHeader].ToString(), out IPAddress? ip))
                {
                    context.Connection.RemoteIpAddress = ip;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
