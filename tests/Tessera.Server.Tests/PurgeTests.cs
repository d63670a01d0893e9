using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Sessions;

namespace Tessera.Server.Tests;

public sealed class PurgeTests
{
    [Fact]
    public async Task EndedSessionsAreDeletedOnceTheRetentionHasPassed()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?>
        {
            ["Tessera:SessionPurgeInterval"] = "01:00:00",
            ["Tessera:SessionRetention"] = "01:30:00",
            ["Tessera:Sessions:IdleTimeout"] = "03:00:00",
        });
        HttpClient leaving = server.CreateBrowser();
        HttpClient staying = server.CreateBrowser();
        await leaving.RegisterAsync("alice");
        HttpResponseMessage signIn = await leaving.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });
        string cookie = Http.CookieValue(signIn.SetCookie()!);
        string handle = (await signIn.JsonAsync()).GetProperty("session").GetProperty("id").GetString()!;
        await leaving.DeleteAsync("/auth/session");
        ISessionStore store = server.Services.GetRequiredService<ISessionStore>();

        server.Time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(200);
        Assert.NotNull(await store.FindByHandleAsync(handle, CancellationToken.None));
        await (await server.CreateBareClient().SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie))).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await staying.SignInAsync("alice");

        server.Time.Advance(TimeSpan.FromHours(1));

        Assert.True(await EventuallyAsync(async () => await store.FindByHandleAsync(handle, CancellationToken.None) is null));
        await (await server.CreateBareClient().SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie))).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(HttpStatusCode.OK, (await staying.GetAsync("/auth/me")).StatusCode);
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
