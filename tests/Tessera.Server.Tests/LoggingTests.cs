using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Users;

namespace Tessera.Server.Tests;

public sealed class LoggingTests
{
    [Fact]
    public async Task NoPasswordHashOrCookieValueReachesTheLogsAtAnyLevel()
    {
        var capture = new LogCapture();
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Lockout:MaxFailedAttempts"] = "2" }, services =>
            services.AddLogging(logging => logging.AddProvider(capture).AddFilter<LogCapture>(null, LogLevel.Trace)));
        HttpClient browser = server.CreateBrowser();
        string userId = (await browser.RegisterAsync("alice", "s3cret-horse-battery")).GetProperty("id").GetString()!;
        HttpResponseMessage signIn = await browser.PostJsonAsync("/auth/session", new { username = "alice", password = "s3cret-horse-battery" });
        string cookie = Http.CookieValue(signIn.SetCookie()!);
        await browser.PostJsonAsync("/shop/cart/items", new { productId = "tessera-bone", quantity = 1 });
        await browser.DeleteAsync("/auth/session");
        await server.CreateBareClient().SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie));
        await browser.PostJsonAsync("/auth/session", new { username = "alice", password = "wrong-horse-battery" });
        await browser.PostJsonAsync("/auth/session", new { username = "alice", password = "wrong-horse-battery" });
        string hash = (await server.Services.GetRequiredService<IUserStore>().FindByIdAsync(userId, CancellationToken.None))!.PasswordHash;

        string everything = string.Join("\n", capture.Entries);

        Assert.Contains(capture.Entries, e => e.StartsWith("Debug Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Contains("locked", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-horse-battery", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-horse-battery", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(cookie, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(hash.Split('$')[^1], everything, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", everything, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/auth/me")).StatusCode);
    }
}
