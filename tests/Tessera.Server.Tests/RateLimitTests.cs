using System.Net;

namespace Tessera.Server.Tests;

public sealed class RateLimitTests
{
    private static TestServerFactory Start(string key, int limit) => new(new Dictionary<string, string?>
    {
        [$"Tessera:RateLimits:{key}:PermitLimit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"Tessera:RateLimits:{key}:Window"] = "00:10:00",
    });

    [Fact]
    public async Task SignInIsLimitedPerClient()
    {
        using TestServerFactory server = Start("SignInPerClient", 3);
        HttpClient client = server.CreateBrowser("198.51.100.1");
        await client.RegisterAsync("alice");
        for (int i = 0; i < 3; i++)
        {
            await client.PostJsonAsync("/auth/session", new { username = $"user{i}", password = "wrong password" });
        }

        HttpResponseMessage limited = await client.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });

        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await server.CreateBrowser("198.51.100.2").PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).StatusCode);
    }

    [Fact]
    public async Task SignInIsLimitedPerAccountWhateverTheClient()
    {
        using TestServerFactory server = Start("SignInPerAccount", 3);
        await server.CreateBrowser().RegisterAsync("alice");
        for (int i = 0; i < 3; i++)
        {
            await server.CreateBrowser($"203.0.113.{i + 1}").PostJsonAsync("/auth/session", new { username = "ALICE", password = "wrong password" });
        }

        HttpResponseMessage limited = await server.CreateBrowser("203.0.113.99").PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });

        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        await server.CreateBrowser().RegisterAsync("bob");
        Assert.Equal(HttpStatusCode.OK, (await server.CreateBrowser("203.0.113.99").PostJsonAsync("/auth/session", new { username = "bob", password = Http.Password })).StatusCode);
    }

    [Fact]
    public async Task UnknownAccountsAreLimitedLikeRealOnes()
    {
        using TestServerFactory server = Start("SignInPerAccount", 2);
        for (int i = 0; i < 2; i++)
        {
            await server.CreateBrowser($"203.0.113.{i + 1}").PostJsonAsync("/auth/session", new { username = "nobody", password = "wrong password" });
        }

        await (await server.CreateBrowser("203.0.113.50").PostJsonAsync("/auth/session", new { username = "nobody", password = "wrong password" }))
            .AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task RegistrationIsLimitedPerClient()
    {
        using TestServerFactory server = Start("RegisterPerClient", 2);
        HttpClient client = server.CreateBrowser("198.51.100.1");
        await client.RegisterAsync("alice");
        await client.RegisterAsync("bob");

        await (await client.PostJsonAsync("/auth/register", new { username = "carol", password = Http.Password })).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }
}
