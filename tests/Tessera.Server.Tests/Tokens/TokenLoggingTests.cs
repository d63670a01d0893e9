using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.Server.Tests.Tokens;

public sealed class TokenLoggingTests
{
    [Fact]
    public async Task NoAccessOrRefreshTokenReachesTheLogsAtAnyLevel()
    {
        var capture = new LogCapture();
        using var server = new TestServerFactory(services: services =>
            services.AddLogging(logging => logging.AddProvider(capture).AddFilter<LogCapture>(null, LogLevel.Trace)));
        HttpClient client = server.CreateBareClient();
        JsonElement first = await client.RegisterAndSignInForTokensAsync("alice");
        await client.GetWithBearerAsync("/auth/me", first.Access());
        await client.GetWithBearerAsync("/auth/me", TokenHttp.Tampered(first.Access()));
        JsonElement second = await (await client.RefreshAsync(first.Refresh())).AssertOkJsonAsync();
        HttpResponseMessage cookies = await server.CreateBrowser().PostJsonAsync("/auth/token?delivery=cookie", new { username = "alice", password = Http.Password });
        server.Time.Advance(TimeSpan.FromSeconds(10));
        await client.OAuthRefreshAsync(first.Refresh()); // reuse: the session is revoked
        await client.GetWithBearerAsync("/auth/me", second.Access());

        string everything = string.Join("\n", capture.Entries);

        Assert.Contains("rotated-away refresh token came back", everything, StringComparison.Ordinal); // the reuse was logged…
        foreach (string secret in new[] { first.Refresh(), second.Refresh(), Http.CookieValue(cookies.SetCookie("__Host-tessera-rt")!) })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }

        foreach (string access in new[] { first.Access(), second.Access(), Http.CookieValue(cookies.SetCookie("__Host-tessera-at")!) })
        {
            Assert.DoesNotContain(access.Split('.')[2], everything, StringComparison.Ordinal); // …but no token, not even a signature
        }
    }
}
