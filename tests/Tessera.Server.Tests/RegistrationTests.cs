using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Users;

namespace Tessera.Server.Tests;

public sealed class RegistrationTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task RegistrationAnswers201WithIdAndUsername()
    {
        HttpResponseMessage response = await _server.CreateBrowser().PostJsonAsync("/auth/register", new { username = "  Alice  ", password = "correct horse" });

        JsonElement body = await response.AssertOkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Alice", body.GetProperty("username").GetString());
        Assert.Equal(22, body.GetProperty("id").GetString()!.Length);
        Assert.False(body.TryGetProperty("password", out _));
        Assert.False(body.TryGetProperty("passwordHash", out _));
    }

    [Fact]
    public async Task TakenUsernameInAnyCasingIsAConflict()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAsync("alice");

        HttpResponseMessage response = await browser.PostJsonAsync("/auth/register", new { username = " ALICE", password = "another password" });

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "username_taken");
    }

    [Fact]
    public async Task TakenNameCostsTheSameArgon2idWorkAsANewAccount()
    {
        var hasher = new CountingPasswordHasher(new Tessera.Passwords.Argon2idPasswordHasher(new Tessera.Passwords.Argon2idParameters { MemoryKiB = 1024, Iterations = 1 }));
        using var server = new TestServerFactory(services: services => services.AddSingleton<Tessera.Passwords.IPasswordHasher>(hasher));
        HttpClient browser = server.CreateBrowser();
        await browser.RegisterAsync("alice");

        int before = hasher.Hashes;
        await browser.RegisterAsync("bob");
        int newCost = hasher.Hashes - before;
        before = hasher.Hashes;
        await (await browser.PostJsonAsync("/auth/register", new { username = "ALICE", password = "another password" })).AssertProblemAsync(HttpStatusCode.Conflict, "username_taken");
        int takenCost = hasher.Hashes - before;

        Assert.Equal(1, newCost);
        Assert.Equal(newCost, takenCost);
        Assert.Equal(hasher.Hashes, hasher.AsyncHashes);
    }

    [Fact]
    public async Task InvalidFieldsAreEachNamed()
    {
        HttpResponseMessage response = await _server.CreateBrowser().PostJsonAsync("/auth/register", new { username = "a b", password = "short" });

        JsonElement problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        JsonElement errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("username", out _));
        Assert.True(errors.TryGetProperty("password", out _));
    }

    [Theory]
    [InlineData(7, HttpStatusCode.BadRequest)]
    [InlineData(8, HttpStatusCode.Created)]
    [InlineData(128, HttpStatusCode.Created)]
    [InlineData(129, HttpStatusCode.BadRequest)]
    public async Task PasswordMayBeEightToOneHundredTwentyEightCharacters(int length, HttpStatusCode expected)
    {
        HttpResponseMessage response = await _server.CreateBrowser().PostJsonAsync("/auth/register", new { username = "alice", password = new string('p', length) });

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task MissingBodyIsAValidationError()
    {
        using var content = new StringContent("null", System.Text.Encoding.UTF8, "application/json");

        HttpResponseMessage response = await _server.CreateBrowser().PostAsync("/auth/register", content);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task PasswordIsStoredAsAnArgon2idPhcString()
    {
        JsonElement registered = await _server.CreateBrowser().RegisterAsync("alice", "correct horse");

        UserRecord stored = (await _server.Services.GetRequiredService<IUserStore>().FindByIdAsync(registered.GetProperty("id").GetString()!, CancellationToken.None))!;

        Assert.StartsWith("$argon2id$v=19$m=1024,t=1,p=1$", stored.PasswordHash, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", stored.PasswordHash, StringComparison.Ordinal);
    }
}
