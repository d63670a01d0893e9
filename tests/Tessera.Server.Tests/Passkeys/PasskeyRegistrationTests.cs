using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Passkeys;

namespace Tessera.Server.Tests.Passkeys;

public sealed class PasskeyRegistrationTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task RegistrationOptionsAskForADiscoverableUserVerifiedPasskeyWithARandomUserHandle()
    {
        HttpClient browser = _server.CreateBrowser();
        JsonElement signedIn = await browser.RegisterAndSignInAsync("alice");
        string userId = signedIn.GetProperty("user").GetProperty("id").GetString()!;

        (JsonElement options, string state) = await browser.RegistrationOptionsAsync();

        Assert.False(string.IsNullOrEmpty(state));
        Assert.Equal("localhost", options.GetProperty("rp").GetProperty("id").GetString());
        // user.id is the account's random id, never the username.
        Assert.Equal(Encoding.UTF8.GetBytes(userId), Base64Url.DecodeFromChars(options.GetProperty("user").GetProperty("id").GetString()!));
        Assert.Equal("alice", options.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal(32, Base64Url.DecodeFromChars(options.GetProperty("challenge").GetString()!).Length);
        Assert.Equal([-7, -8, -257], options.GetProperty("pubKeyCredParams").EnumerateArray().Select(p => p.GetProperty("alg").GetInt32()));
        JsonElement selection = options.GetProperty("authenticatorSelection");
        Assert.Equal("required", selection.GetProperty("residentKey").GetString());
        Assert.True(selection.GetProperty("requireResidentKey").GetBoolean());
        Assert.Equal(300000, options.GetProperty("timeout").GetInt32());
        Assert.Equal("required", selection.GetProperty("userVerification").GetString());
        Assert.Equal("none", options.GetProperty("attestation").GetString());
        Assert.Equal(0, options.GetProperty("excludeCredentials").GetArrayLength());
    }

    [Fact]
    public async Task ARegisteredPasskeyIsListedRenamedAndExcludedFromTheNextRegistration()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        using var authenticator = new SoftwareAuthenticator();

        JsonElement created = await browser.RegisterPasskeyAsync(authenticator, "  Laptop  ");

        Assert.Equal(authenticator.CredentialIdText, created.GetProperty("id").GetString());
        Assert.Equal("Laptop", created.GetProperty("name").GetString());
        Assert.True(created.GetProperty("backupEligible").GetBoolean());
        Assert.True(created.GetProperty("synced").GetBoolean());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("lastUsedAt").ValueKind);
        Assert.Equal(["internal", "hybrid"], created.GetProperty("transports").EnumerateArray().Select(t => t.GetString()));

        JsonElement listed = await (await browser.GetAsync("/auth/passkeys")).AssertOkJsonAsync();
        Assert.Equal(authenticator.CredentialIdText, Assert.Single(listed.GetProperty("passkeys").EnumerateArray()).GetProperty("id").GetString());

        JsonElement renamed = await (await browser.PatchAsJsonAsync($"/auth/passkeys/{authenticator.CredentialIdText}", new { name = "Phone" })).AssertOkJsonAsync();
        Assert.Equal("Phone", renamed.GetProperty("name").GetString());

        // A right-to-left override or a zero-width joiner would let one name display as another in the list.
        foreach (string hidden in new[] { "Phone\u202Eenohp", "Ph\u200Done", "Bell\u0007" })
        {
            await (await browser.PatchAsJsonAsync($"/auth/passkeys/{authenticator.CredentialIdText}", new { name = hidden })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        }

        (JsonElement options, _) = await browser.RegistrationOptionsAsync();
        JsonElement excluded = Assert.Single(options.GetProperty("excludeCredentials").EnumerateArray());
        Assert.Equal(authenticator.CredentialIdText, excluded.GetProperty("id").GetString());
        Assert.Contains("internal", excluded.GetProperty("transports").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task TheSameCredentialCannotBeRegisteredTwice()
    {
        HttpClient alice = _server.CreateBrowser();
        HttpClient bob = _server.CreateBrowser();
        await alice.RegisterAndSignInAsync("alice");
        await bob.RegisterAndSignInAsync("bob");
        using var authenticator = new SoftwareAuthenticator();
        await alice.RegisterPasskeyAsync(authenticator);

        await (await bob.TryRegisterAsync(authenticator)).AssertProblemAsync(HttpStatusCode.Conflict, "passkey_already_registered");
    }

    [Fact]
    public async Task RegistrationFromAnotherOriginIsRefused()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        using var authenticator = new SoftwareAuthenticator { Origin = "https://evil.example" };

        await (await browser.TryRegisterAsync(authenticator)).AssertProblemAsync(HttpStatusCode.BadRequest, "passkey_registration_failed");
        Assert.Empty(await PasskeysOfAsync("alice"));
    }

    [Fact]
    public async Task RegistrationForAnotherRelyingPartyIsRefused()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        using var authenticator = new SoftwareAuthenticator { RpIdOverride = "evil.example" };

        await (await browser.TryRegisterAsync(authenticator)).AssertProblemAsync(HttpStatusCode.BadRequest, "passkey_registration_failed");
    }

    [Fact]
    public async Task RegistrationWithoutUserVerificationIsRefused()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        using var authenticator = new SoftwareAuthenticator { UserVerified = false };

        await (await browser.TryRegisterAsync(authenticator)).AssertProblemAsync(HttpStatusCode.BadRequest, "passkey_registration_failed");
    }

    [Fact]
    public async Task ARegistrationStateServesOnceAndOnlyItsOwnAccount()
    {
        HttpClient alice = _server.CreateBrowser();
        HttpClient bob = _server.CreateBrowser();
        await alice.RegisterAndSignInAsync("alice");
        await bob.RegisterAndSignInAsync("bob");
        (JsonElement options, string state) = await alice.RegistrationOptionsAsync();
        using var first = new SoftwareAuthenticator();
        using var second = new SoftwareAuthenticator();

        // Bob cannot use the state alice was given.
        await (await bob.PostJsonAsync("/auth/passkeys/registration", new { state, credential = second.Create(options) }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "passkey_registration_failed");
        await (await alice.PostJsonAsync("/auth/passkeys/registration", new { state, credential = first.Create(options) })).AssertOkJsonAsync(HttpStatusCode.Created);
        await (await alice.PostJsonAsync("/auth/passkeys/registration", new { state, credential = second.Create(options) }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "passkey_registration_failed");
        Assert.Single(await PasskeysOfAsync("alice"));
    }

    [Fact]
    public async Task MalformedRegistrationsAreRefusedNeverAServerError()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        (JsonElement options, string state) = await browser.RegistrationOptionsAsync();
        using var authenticator = new SoftwareAuthenticator();
        var valid = authenticator.Create(options);

        await (await browser.PostJsonAsync("/auth/passkeys/registration", new { state })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await browser.PostJsonAsync("/auth/passkeys/registration", new { credential = valid })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await browser.PostJsonAsync("/auth/passkeys/registration", new { state, credential = valid, name = new string('x', 65) })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        foreach (object credential in new object[]
        {
            new { id = "AA", rawId = "AA", type = "public-key", response = new { clientDataJSON = "e30", attestationObject = "oA" } },
            new { id = "AA", rawId = "!!", type = "public-key", response = new { clientDataJSON = "not base64", attestationObject = "AAAA" } },
            new { id = "AA", type = "public-key" },
            new { id = "AA", rawId = "AA", type = "secret", response = new { clientDataJSON = valid["response"]!["clientDataJSON"]!.GetValue<string>(), attestationObject = "v2Nmb3Jt" } },
        })
        {
            (_, string fresh) = await browser.RegistrationOptionsAsync();
            await (await browser.PostJsonAsync("/auth/passkeys/registration", new { state = fresh, credential })).AssertProblemAsync(HttpStatusCode.BadRequest, "passkey_registration_failed");
        }

        await (await browser.PostJsonAsync("/auth/passkeys/registration", new { state = "not-a-state", credential = valid })).AssertProblemAsync(HttpStatusCode.BadRequest, "passkey_registration_failed");
    }

    [Fact]
    public async Task AnExpiredRegistrationStateIsRefused()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        (JsonElement options, string state) = await browser.RegistrationOptionsAsync();
        using var authenticator = new SoftwareAuthenticator();
        _server.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        await (await browser.PostJsonAsync("/auth/passkeys/registration", new { state, credential = authenticator.Create(options) }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "passkey_registration_failed");
    }

    [Fact]
    public async Task AnotherUsersPasskeyCanBeNeitherRenamedNorRemoved()
    {
        HttpClient alice = _server.CreateBrowser();
        HttpClient bob = _server.CreateBrowser();
        await alice.RegisterAndSignInAsync("alice");
        await bob.RegisterAndSignInAsync("bob");
        using var authenticator = new SoftwareAuthenticator();
        await alice.RegisterPasskeyAsync(authenticator, "Alice's");

        await (await bob.PatchAsJsonAsync($"/auth/passkeys/{authenticator.CredentialIdText}", new { name = "mine" })).AssertProblemAsync(HttpStatusCode.NotFound, "passkey_not_found");
        await (await bob.DeleteAsync($"/auth/passkeys/{authenticator.CredentialIdText}")).AssertProblemAsync(HttpStatusCode.NotFound, "passkey_not_found");

        PasskeyCredential kept = Assert.Single(await PasskeysOfAsync("alice"));
        Assert.Equal("Alice's", kept.Name);
    }

    [Fact]
    public async Task ARemovedPasskeySignsInNoMore()
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        using var authenticator = new SoftwareAuthenticator();
        await browser.RegisterPasskeyAsync(authenticator);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync($"/auth/passkeys/{authenticator.CredentialIdText}")).StatusCode);

        Assert.Equal(0, (await (await browser.GetAsync("/auth/passkeys")).AssertOkJsonAsync()).GetProperty("passkeys").GetArrayLength());
        await (await _server.CreateBrowser().TrySignInAsync(authenticator)).AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");
        await (await browser.DeleteAsync($"/auth/passkeys/{authenticator.CredentialIdText}")).AssertProblemAsync(HttpStatusCode.NotFound, "passkey_not_found");
    }

    [Fact]
    public async Task DeletingTheAccountRemovesItsPasskeys()
    {
        HttpClient browser = _server.CreateBrowser();
        string userId = (await browser.RegisterAndSignInAsync("alice")).GetProperty("user").GetProperty("id").GetString()!;
        using var authenticator = new SoftwareAuthenticator();
        await browser.RegisterPasskeyAsync(authenticator);

        var delete = new HttpRequestMessage(HttpMethod.Delete, "/auth/me") { Content = JsonContent.Create(new { password = Http.Password }) };
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(delete)).StatusCode);

        Assert.Empty(await _server.Services.GetRequiredService<IPasskeyStore>().ListAsync(userId, CancellationToken.None));
        Assert.Null(await _server.Services.GetRequiredService<IPasskeyStore>().FindAsync(authenticator.CredentialIdText, CancellationToken.None));
    }

    [Fact]
    public async Task PasskeyManagementNeedsASignedInUser()
    {
        HttpClient anonymous = _server.CreateBrowser();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/auth/passkeys/registration/options", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/auth/passkeys")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("/auth/passkeys/AAAA")).StatusCode);
    }

    private async Task<IReadOnlyList<PasskeyCredential>> PasskeysOfAsync(string username)
    {
        var users = _server.Services.GetRequiredService<Tessera.Users.IUserStore>();
        Tessera.Users.UserRecord user = (await users.FindByNormalizedUsernameAsync(Tessera.Users.UsernameRules.Normalize(username), CancellationToken.None))!;
        return await _server.Services.GetRequiredService<IPasskeyStore>().ListAsync(user.Id, CancellationToken.None);
    }
}
