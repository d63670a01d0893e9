using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Authentication;

namespace Tessera.Server.Tests;

public sealed class EventsTests
{
    [Fact]
    public async Task ApplicationCanRefuseAValidSessionThroughTheValidatedEvent()
    {
        var refusedUsers = new HashSet<string>(StringComparer.Ordinal);
        using var server = new TestServerFactory(services: services =>
            services.Configure<SessionCookieOptions>(SessionCookieDefaults.AuthenticationScheme, options =>
                options.Events.OnSessionValidated = context =>
                {
                    if (refusedUsers.Contains(context.Session.UserId))
                    {
                        context.Fail("This user is suspended.");
                    }

                    return Task.CompletedTask;
                }));
        HttpClient browser = server.CreateBrowser();
        string userId = (await browser.RegisterAndSignInAsync("alice")).GetProperty("user").GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/auth/me")).StatusCode);

        refusedUsers.Add(userId);

        await (await browser.GetAsync("/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task RejectedEventSeesWhyACookieWasRefused()
    {
        var codes = new List<string>();
        using var server = new TestServerFactory(services: services =>
            services.Configure<SessionCookieOptions>(SessionCookieDefaults.AuthenticationScheme, options =>
                options.Events.OnSessionRejected = context =>
                {
                    codes.Add(context.Error.Code);
                    return Task.CompletedTask;
                }));
        HttpClient browser = server.CreateBrowser();
        await browser.RegisterAsync("alice");
        string cookie = Http.CookieValue((await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).SetCookie()!);
        await browser.DeleteAsync("/auth/session");

        await server.CreateBareClient().SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie));

        Assert.Equal(["session_revoked"], codes);
    }
}
