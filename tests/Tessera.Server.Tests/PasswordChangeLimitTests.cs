using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Passwords;

namespace Tessera.Server.Tests;

/// <summary>
/// Issue #14, finding 1: <c>POST /auth/password</c> checks the current password, so it gets the
/// sign-in limits and lockout: a stolen session is no better a password oracle than the sign-in form.
/// The thief replays the owner's cookie from other addresses.
/// </summary>
public sealed class PasswordChangeLimitTests
{
    private const string OwnerIp = "198.51.100.10";
    private const string NewPassword = "a brand new passphrase";

    private static TestServerFactory Start(IDictionary<string, string?> settings, CountingPasswordHasher? hasher = null) =>
        new(settings, hasher is null ? null : services => services.AddSingleton<IPasswordHasher>(hasher));

    /// <summary>The owner registers and signs in from <see cref="OwnerIp"/>; the session cookie's value.</summary>
    private static async Task<string> OwnerSessionAsync(TestServerFactory server)
    {
        HttpClient owner = server.CreateBrowser(OwnerIp);
        await owner.RegisterAsync("alice");
        HttpResponseMessage signedIn = await owner.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });
        return Http.CookieValue(signedIn.SetCookie()!);
    }

    private static Task<HttpResponseMessage> ChangeAsync(TestServerFactory server, string ip, string cookie, string currentPassword)
    {
        HttpRequestMessage request = Http.WithCookie(HttpMethod.Post, "/auth/password", cookie);
        request.Content = JsonContent.Create(new { currentPassword, newPassword = NewPassword });
        return server.CreateBareClient(ip).SendAsync(request);
    }

    [Fact]
    public async Task WrongCurrentPasswordsSpendTheClientsSignInBudget()
    {
        using TestServerFactory server = Start(new Dictionary<string, string?>
        {
            ["Tessera:RateLimits:SignInPerClient:PermitLimit"] = "3",
            ["Tessera:RateLimits:SignInPerClient:Window"] = "00:10:00",
        });
        string cookie = await OwnerSessionAsync(server);
        for (int i = 0; i < 3; i++)
        {
            await (await ChangeAsync(server, "203.0.113.5", cookie, $"guess {i}")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        HttpResponseMessage limited = await ChangeAsync(server, "203.0.113.5", cookie, "guess 3");

        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task WrongCurrentPasswordsFromManyAddressesSpendTheAccountsBudget()
    {
        // Registration (1) and the owner's sign-in (2) spend the name's budget too.
        using TestServerFactory server = Start(new Dictionary<string, string?>
        {
            ["Tessera:RateLimits:SignInPerAccount:PermitLimit"] = "4",
            ["Tessera:RateLimits:SignInPerAccount:Window"] = "00:10:00",
        });
        string cookie = await OwnerSessionAsync(server);
        await (await ChangeAsync(server, "203.0.113.1", cookie, "guess 1")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await (await ChangeAsync(server, "203.0.113.2", cookie, "guess 2")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");

        HttpResponseMessage limited = await ChangeAsync(server, "203.0.113.3", cookie, "guess 3");

        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task WrongCurrentPasswordsAreCountedLikeSignInFailures()
    {
        using TestServerFactory server = Start(new Dictionary<string, string?> { ["Tessera:Lockout:MaxFailedAttempts"] = "3" });
        string cookie = await OwnerSessionAsync(server);
        for (int i = 0; i < 3; i++)
        {
            await (await ChangeAsync(server, "203.0.113.5", cookie, $"guess {i}")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        // The thief's address must now wait: even the right password changes nothing, and the
        // answer does not tell it was right.
        await (await ChangeAsync(server, "203.0.113.5", cookie, Http.Password)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        // One set of counters: the sign-in form from that address waits too.
        await (await server.CreateBrowser("203.0.113.5").PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");

        // The owner, elsewhere, is not affected, and the password is still the old one.
        Assert.Equal(HttpStatusCode.OK, (await server.CreateBrowser(OwnerIp).PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ChangeAsync(server, OwnerIp, cookie, Http.Password)).StatusCode);
    }

    [Fact]
    public async Task EveryPasswordCheckOnARequestPathUsesTheAsyncHasher()
    {
        var hasher = new CountingPasswordHasher(new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 }));
        using TestServerFactory server = Start(new Dictionary<string, string?>(), hasher);
        string cookie = await OwnerSessionAsync(server);
        await server.CreateBrowser().PostJsonAsync("/auth/token", new { username = "alice", password = Http.Password });
        await server.CreateBrowser().PostJsonAsync("/auth/session", new { username = "alice", password = "wrong password" });
        await ChangeAsync(server, OwnerIp, cookie, "wrong password");
        Assert.Equal(HttpStatusCode.OK, (await ChangeAsync(server, OwnerIp, cookie, Http.Password)).StatusCode);

        Assert.Equal(5, hasher.Verifications);
        Assert.Equal(hasher.Verifications, hasher.AsyncVerifications);
        Assert.Equal(2, hasher.Hashes);
        Assert.Equal(hasher.Hashes, hasher.AsyncHashes);
    }
}
