using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tessera.Server.Tests.Tokens;

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

    [Fact]
    public async Task IPv6ClientsInOneSlash64ShareARegistrationBudget()
    {
        // #14 finding 2: a host holds a whole /64, so a new address per request must not mean a new budget.
        using TestServerFactory server = Start("RegisterPerClient", 2);
        await server.CreateBrowser("2001:db8:5:6::1").RegisterAsync("alice");
        await server.CreateBrowser("2001:db8:5:6::2").RegisterAsync("bob");

        await (await server.CreateBrowser("2001:db8:5:6:aaaa:bbbb:cccc:dddd").PostJsonAsync("/auth/register", new { username = "carol", password = Http.Password }))
            .AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        await server.CreateBrowser("2001:db8:5:7::1").RegisterAsync("dave");
    }

    [Fact]
    public async Task RegistrationSpendsTheNamesSignInBudgetWhateverTheClient()
    {
        using TestServerFactory server = Start("SignInPerAccount", 2);
        await server.CreateBrowser("203.0.113.1").RegisterAsync("alice");
        await (await server.CreateBrowser("203.0.113.2").PostJsonAsync("/auth/register", new { username = "ALICE", password = Http.Password }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "username_taken");

        HttpResponseMessage limited = await server.CreateBrowser("203.0.113.3").PostJsonAsync("/auth/register", new { username = "alice", password = Http.Password });

        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task AnAccountsBudgetSpentElsewhereDoesNotKeepItsOwnerOutOfAClientItSignedInFrom()
    {
        using TestServerFactory server = Start("SignInPerAccount", 3);
        HttpClient owner = server.CreateBrowser("198.51.100.30");
        await owner.RegisterAsync("alice");
        await owner.SignInAsync("alice");
        HttpResponseMessage? attempt = null;
        for (int i = 0; i < 3; i++)
        {
            attempt = await server.CreateBrowser($"203.0.113.{60 + i}").PostJsonAsync("/auth/session", new { username = "alice", password = "guess" });
        }

        await attempt!.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");

        Assert.Equal(HttpStatusCode.OK, (await server.CreateBrowser("198.51.100.30").PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).StatusCode);
    }

    [Fact]
    public async Task RefreshAndRevocationShareOneBudgetPerClientOverBothForms()
    {
        using TestServerFactory server = Start("TokenPerClient", 3);
        HttpClient client = server.CreateBrowser("198.51.100.7");
        JsonElement pair = await client.RegisterAndSignInForTokensAsync("alice");

        JsonElement next = await (await client.RefreshAsync(pair.Refresh())).AssertOkJsonAsync();
        next = await (await client.OAuthRefreshAsync(next.Refresh())).AssertOkJsonAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.OAuthRefreshAsync(next.Refresh())).StatusCode);
        HttpResponseMessage limited = await client.PostJsonAsync("/auth/token/revoke", new { refresh_token = next.Refresh() });
        HttpResponseMessage limitedForm = await client.PostAsync("/oauth2/revoke", new FormUrlEncodedContent([new("token", next.Refresh())]));

        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        await limitedForm.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // Another address has its own budget.
        Assert.Equal(HttpStatusCode.NoContent, (await server.CreateBrowser("198.51.100.8").PostJsonAsync("/auth/token/revoke", new { refresh_token = pair.Refresh() })).StatusCode);
    }

    [Fact]
    public async Task IntrospectionIsLimitedPerClientFailedAuthenticationsIncluded()
    {
        using TestServerFactory server = new(new Dictionary<string, string?>
        {
            ["Tessera:RateLimits:IntrospectPerClient:PermitLimit"] = "2",
            ["Tessera:RateLimits:IntrospectPerClient:Window"] = "00:10:00",
            ["Tessera:Tokens:Introspection:Clients:orders-api"] = "s3cret-for-tests",
        });
        HttpClient client = server.CreateBrowser("198.51.100.9");
        Task<HttpResponseMessage> Introspect(string secret)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/introspect") { Content = new FormUrlEncodedContent([new("token", "x")]) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"orders-api:{secret}")));
            return client.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Introspect("guess-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Introspect("guess-2")).StatusCode);

        await (await Introspect("s3cret-for-tests")).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }
}
