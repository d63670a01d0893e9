using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Passwords;
using Tessera.Users;

namespace Tessera.Server.Tests.Passkeys;

public sealed class PasswordlessTests : IDisposable
{
    private readonly RecordingPasswordHasher _hasher = new(new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 }));
    private readonly TestServerFactory _server;

    public PasswordlessTests()
    {
        _server = new TestServerFactory(services: services => services.AddSingleton<IPasswordHasher>(_hasher));
    }

    public void Dispose() => _server.Dispose();

    private static Task<HttpResponseMessage> RemovePasswordAsync(HttpClient browser, string currentPassword) =>
        browser.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/auth/password") { Content = JsonContent.Create(new { currentPassword }) });

    [Fact]
    public async Task ThePasswordCannotBeRemovedWithoutAPasskey()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");

        await (await RemovePasswordAsync(browser, Http.Password)).AssertProblemAsync(HttpStatusCode.Conflict, "passkey_required");
        await browser.SignInAsync("alice");
    }

    [Fact]
    public async Task RemovingThePasswordNeedsTheRightOne()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        using var authenticator = new SoftwareAuthenticator();
        await browser.RegisterPasskeyAsync(authenticator);

        await (await RemovePasswordAsync(browser, "not the password")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await (await browser.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/auth/password") { Content = JsonContent.Create(new { }) })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await browser.SignInAsync("alice");
    }

    [Fact]
    public async Task APasswordlessAccountSignsInWithPasskeysOnlyAndKeepsTheLastOne()
    {
        HttpClient laptop = _server.CreateBrowser();
        HttpClient other = _server.CreateBrowser();
        await laptop.RegisterAndSignInAsync("alice");
        await other.SignInAsync("alice");
        using var authenticator = new SoftwareAuthenticator();
        await laptop.RegisterPasskeyAsync(authenticator);

        JsonElement removed = await (await RemovePasswordAsync(laptop, Http.Password)).AssertOkJsonAsync();

        Assert.Equal(1, removed.GetProperty("revoked").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/auth/me")).StatusCode);
        JsonElement me = await (await laptop.GetAsync("/auth/me")).AssertOkJsonAsync();
        Assert.False(me.GetProperty("user").GetProperty("hasPassword").GetBoolean());
        UserRecord stored = (await _server.Services.GetRequiredService<IUserStore>().FindByNormalizedUsernameAsync("alice", CancellationToken.None))!;
        Assert.Equal(UserRecord.NoPassword, stored.PasswordHash);
        await (await RemovePasswordAsync(laptop, Http.Password)).AssertProblemAsync(HttpStatusCode.Conflict, "password_not_set");

        // The password no longer works, answered exactly as a wrong one, after the same hashing work:
        // one Argon2id verification against a real (decoy) hash, not a quick refusal of the empty one.
        int before = _hasher.Verifications;
        HttpResponseMessage refused = await _server.CreateBrowser().PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });
        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(before + 1, _hasher.Verifications);
        Assert.StartsWith("$argon2id$", _hasher.LastStoredHash, StringComparison.Ordinal);
        HttpResponseMessage wrong = await _server.CreateBrowser().PostJsonAsync("/auth/session", new { username = "alice", password = "something else entirely" });
        Assert.Equal(await WithoutTraceAsync(wrong), await WithoutTraceAsync(refused));
        await (await _server.CreateBareClient().PostJsonAsync("/auth/token", new { username = "alice", password = Http.Password })).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");

        // The passkey still works; the last one cannot be removed.
        await _server.CreateBrowser().SignInWithPasskeyAsync(authenticator);
        await (await laptop.DeleteAsync($"/auth/passkeys/{authenticator.CredentialIdText}")).AssertProblemAsync(HttpStatusCode.Conflict, "last_passkey");

        // With a second one, either may go, but not both.
        using var second = new SoftwareAuthenticator();
        await laptop.RegisterPasskeyAsync(second);
        Assert.Equal(HttpStatusCode.NoContent, (await laptop.DeleteAsync($"/auth/passkeys/{authenticator.CredentialIdText}")).StatusCode);
        await (await laptop.DeleteAsync($"/auth/passkeys/{second.CredentialIdText}")).AssertProblemAsync(HttpStatusCode.Conflict, "last_passkey");
    }

    [Fact]
    public async Task APasswordlessAccountSetsAPasswordOnlyFromARecentPasskeySignIn()
    {
        HttpClient laptop = _server.CreateBrowser();
        await laptop.RegisterAndSignInAsync("alice");
        using var authenticator = new SoftwareAuthenticator();
        await laptop.RegisterPasskeyAsync(authenticator);
        await (await RemovePasswordAsync(laptop, Http.Password)).AssertOkJsonAsync();
        const string newPassword = "a brand new passphrase";

        // The laptop's session signed in with a password: not a passkey sign-in.
        await (await laptop.PostJsonAsync("/auth/password", new { newPassword })).AssertProblemAsync(HttpStatusCode.Forbidden, "recent_passkey_sign_in_required");

        HttpClient phone = _server.CreateBrowser();
        await phone.SignInWithPasskeyAsync(authenticator);
        _server.Time.Advance(TimeSpan.FromMinutes(11));
        await (await phone.PostJsonAsync("/auth/password", new { newPassword })).AssertProblemAsync(HttpStatusCode.Forbidden, "recent_passkey_sign_in_required");

        HttpClient tablet = _server.CreateBrowser();
        await tablet.SignInWithPasskeyAsync(authenticator);
        await (await tablet.PostJsonAsync("/auth/password", new { newPassword })).AssertOkJsonAsync();

        await _server.CreateBrowser().SignInAsync("alice", newPassword);
        Assert.True((await (await tablet.GetAsync("/auth/me")).AssertOkJsonAsync()).GetProperty("user").GetProperty("hasPassword").GetBoolean());
    }

    [Fact]
    public async Task APasswordlessAccountIsDeletedFromARecentPasskeySignIn()
    {
        HttpClient laptop = _server.CreateBrowser();
        await laptop.RegisterAndSignInAsync("alice");
        using var authenticator = new SoftwareAuthenticator();
        await laptop.RegisterPasskeyAsync(authenticator);
        await (await RemovePasswordAsync(laptop, Http.Password)).AssertOkJsonAsync();

        await (await laptop.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/auth/me") { Content = JsonContent.Create(new { }) }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "recent_passkey_sign_in_required");

        HttpClient phone = _server.CreateBrowser();
        await phone.SignInWithPasskeyAsync(authenticator);
        Assert.Equal(HttpStatusCode.NoContent, (await phone.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/auth/me") { Content = JsonContent.Create(new { }) })).StatusCode);
        await (await _server.CreateBrowser().TrySignInAsync(authenticator)).AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");
    }

    private static async Task<string> WithoutTraceAsync(HttpResponseMessage response)
    {
        JsonElement body = await response.JsonAsync();
        return JsonSerializer.Serialize(body.EnumerateObject().Where(p => p.Name != "traceId").ToDictionary(p => p.Name, p => p.Value.GetRawText()));
    }

    /// <summary>The real hasher, recording what each verification was asked to check against.</summary>
    private sealed class RecordingPasswordHasher(Argon2idPasswordHasher inner) : IPasswordHasher
    {
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string? LastStoredHash { get; private set; }

        public string Hash(string password) => inner.Hash(password);

        public PasswordVerification Verify(string password, string storedHash)
        {
            Record(storedHash);
            return inner.Verify(password, storedHash);
        }

        public ValueTask<string> HashAsync(string password, CancellationToken cancellationToken) => inner.HashAsync(password, cancellationToken);

        public ValueTask<PasswordVerification> VerifyAsync(string password, string storedHash, CancellationToken cancellationToken)
        {
            Record(storedHash);
            return inner.VerifyAsync(password, storedHash, cancellationToken);
        }

        private void Record(string storedHash)
        {
            LastStoredHash = storedHash;
            Interlocked.Increment(ref _verifications);
        }
    }
}
