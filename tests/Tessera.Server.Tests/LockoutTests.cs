using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Passwords;
using Tessera.Users;

namespace Tessera.Server.Tests;

public sealed class LockoutTests
{
    private static readonly Dictionary<string, string?> ThreeStrikes = new()
    {
        ["Tessera:Lockout:MaxFailedAttempts"] = "3",
        ["Tessera:Lockout:FirstDelay"] = "00:10:00",
    };

    private static (TestServerFactory Server, CountingPasswordHasher Hasher) Start(IDictionary<string, string?> settings)
    {
        var hasher = new CountingPasswordHasher(new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 }));
        return (new TestServerFactory(settings, services => services.AddSingleton<IPasswordHasher>(hasher)), hasher);
    }

    private static Task<HttpResponseMessage> TryAsync(HttpClient client, string username, string password) =>
        client.PostJsonAsync("/auth/session", new { username, password });

    private static async Task<JsonElement> WithoutTraceAsync(HttpResponseMessage response)
    {
        JsonElement body = await response.JsonAsync();
        return JsonSerializer.SerializeToElement(body.EnumerateObject().Where(p => p.Name != "traceId").ToDictionary(p => p.Name, p => p.Value));
    }

    [Fact]
    public async Task UnknownLockedAndWrongAnswersAreIdenticalAndCostTheSameWork()
    {
        (TestServerFactory server, CountingPasswordHasher hasher) = Start(ThreeStrikes);
        using (server)
        {
            HttpClient client = server.CreateBrowser();
            await client.RegisterAsync("alice");
            await client.RegisterAsync("bob");
            for (int i = 0; i < 3; i++)
            {
                await TryAsync(client, "bob", "wrong password");
            }

            int before = hasher.Verifications;
            HttpResponseMessage wrong = await TryAsync(client, "alice", "wrong password");
            int wrongCost = hasher.Verifications - before;
            before = hasher.Verifications;
            HttpResponseMessage unknown = await TryAsync(client, "nobody", "wrong password");
            int unknownCost = hasher.Verifications - before;
            before = hasher.Verifications;
            HttpResponseMessage locked = await TryAsync(client, "bob", Http.Password);
            int lockedCost = hasher.Verifications - before;

            string expected = (await WithoutTraceAsync(wrong)).GetRawText();
            Assert.Equal(expected, (await WithoutTraceAsync(unknown)).GetRawText());
            Assert.Equal(expected, (await WithoutTraceAsync(locked)).GetRawText());
            Assert.All(new[] { wrong, unknown, locked }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
            Assert.Equal([1, 1, 1], new[] { wrongCost, unknownCost, lockedCost });
            Assert.Equal("invalid_credentials", (await wrong.JsonAsync()).GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task RepeatedFailuresMakeThatClientWaitTheFirstDelay()
    {
        (TestServerFactory server, _) = Start(ThreeStrikes);
        using (server)
        {
            HttpClient client = server.CreateBrowser();
            await client.RegisterAsync("alice");
            for (int i = 0; i < 3; i++)
            {
                await (await TryAsync(client, "alice", "wrong password")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
            }

            await (await TryAsync(client, "alice", Http.Password)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
            server.Time.Advance(TimeSpan.FromMinutes(9));
            await (await TryAsync(client, "alice", Http.Password)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
            server.Time.Advance(TimeSpan.FromMinutes(1));

            Assert.Equal(HttpStatusCode.OK, (await TryAsync(client, "alice", Http.Password)).StatusCode);
        }
    }

    [Fact]
    public async Task FailuresFromOneAddressDoNotLockTheOwnerOutElsewhere()
    {
        (TestServerFactory server, _) = Start(ThreeStrikes);
        using (server)
        {
            await server.CreateBrowser("198.51.100.20").RegisterAsync("alice");
            HttpClient attacker = server.CreateBrowser("203.0.113.66");
            for (int i = 0; i < 6; i++)
            {
                await (await TryAsync(attacker, "alice", $"guess {i}")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
            }

            Assert.Equal(HttpStatusCode.OK, (await TryAsync(server.CreateBrowser("198.51.100.20"), "alice", Http.Password)).StatusCode);
            // A new device elsewhere too: one client's failures are that client's.
            Assert.Equal(HttpStatusCode.OK, (await TryAsync(server.CreateBrowser("192.0.2.77"), "alice", Http.Password)).StatusCode);
            await (await TryAsync(attacker, "alice", Http.Password)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }
    }

    [Fact]
    public async Task EachFailureAfterTheWaitDoublesIt()
    {
        (TestServerFactory server, _) = Start(new Dictionary<string, string?>
        {
            ["Tessera:Lockout:MaxFailedAttempts"] = "3",
            ["Tessera:Lockout:FirstDelay"] = "00:01:00",
        });
        using (server)
        {
            HttpClient client = server.CreateBrowser();
            await client.RegisterAsync("alice");
            for (int i = 0; i < 3; i++)
            {
                await TryAsync(client, "alice", "wrong password");
            }

            server.Time.Advance(TimeSpan.FromMinutes(1));
            await (await TryAsync(client, "alice", "wrong again")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
            server.Time.Advance(TimeSpan.FromSeconds(119));
            await (await TryAsync(client, "alice", Http.Password)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
            server.Time.Advance(TimeSpan.FromSeconds(1));

            Assert.Equal(HttpStatusCode.OK, (await TryAsync(client, "alice", Http.Password)).StatusCode);
        }
    }

    [Fact]
    public async Task RevealedLockoutAnswersAccountLocked()
    {
        (TestServerFactory server, _) = Start(new Dictionary<string, string?>(ThreeStrikes) { ["Tessera:Lockout:RevealLockout"] = "true" });
        using (server)
        {
            HttpClient client = server.CreateBrowser();
            await client.RegisterAsync("alice");
            for (int i = 0; i < 3; i++)
            {
                await TryAsync(client, "alice", "wrong password");
            }

            await (await TryAsync(client, "alice", Http.Password)).AssertProblemAsync(HttpStatusCode.Locked, "account_locked");
        }
    }

    [Fact]
    public async Task HashWithOlderParametersIsUpgradedAtTheNextSignIn()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Passwords:MemoryKiB"] = "2048", ["Tessera:Passwords:Iterations"] = "2" });
        var oldHasher = new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 });
        IUserStore users = server.Services.GetRequiredService<IUserStore>();
        await users.TryCreateAsync(new UserRecord
        {
            Id = "legacy-user-id",
            Username = "old-timer",
            NormalizedUsername = "old-timer",
            PasswordHash = oldHasher.Hash(Http.Password),
            CreatedAt = server.Time.GetUtcNow(),
        }, CancellationToken.None);

        await server.CreateBrowser().SignInAsync("old-timer");

        string upgraded = (await users.FindByIdAsync("legacy-user-id", CancellationToken.None))!.PasswordHash;
        Assert.StartsWith("$argon2id$v=19$m=2048,t=2,p=1$", upgraded, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(server.CreateBrowser(), "old-timer", Http.Password)).StatusCode);
    }

    [Fact]
    public async Task DefaultPasswordParametersAreOwaspsArgon2id()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Passwords:MemoryKiB"] = null, ["Tessera:Passwords:Iterations"] = null });
        string id = (await server.CreateBrowser().RegisterAsync("alice")).GetProperty("id").GetString()!;

        string hash = (await server.Services.GetRequiredService<IUserStore>().FindByIdAsync(id, CancellationToken.None))!.PasswordHash;

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", hash, StringComparison.Ordinal);
    }
}
