using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Audit;
using Tessera.Passkeys;

namespace Tessera.Server.Tests.Passkeys;

public sealed class PasskeySignInTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    private async Task<(string UserId, SoftwareAuthenticator Authenticator)> AliceWithAPasskeyAsync(SoftwareAuthenticator? authenticator = null)
    {
        HttpClient browser = _server.CreateBrowser();
        string userId = (await browser.RegisterAndSignInAsync("alice")).GetProperty("user").GetProperty("id").GetString()!;
        authenticator ??= new SoftwareAuthenticator();
        await browser.RegisterPasskeyAsync(authenticator);
        return (userId, authenticator);
    }

    [Fact]
    public async Task SignInOptionsAskForADiscoverableCredentialWithUserVerification()
    {
        (JsonElement options, string state) = await _server.CreateBrowser().AssertionOptionsAsync();

        Assert.False(string.IsNullOrEmpty(state));
        Assert.Equal("localhost", options.GetProperty("rpId").GetString());
        Assert.Equal(0, options.GetProperty("allowCredentials").GetArrayLength());
        Assert.Equal("required", options.GetProperty("userVerification").GetString());
    }

    [Fact]
    public async Task APasskeySignInIsACookieSessionShownAsAPasskeyInTheDeviceList()
    {
        (string userId, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync();
        using SoftwareAuthenticator owned = authenticator;
        HttpClient phone = _server.CreateBrowser(userAgent: "Phone/1.0");
        // The list is newest first: the passkey session comes a second after the password one.
        _server.Time.Advance(TimeSpan.FromSeconds(1));

        HttpResponseMessage response = await phone.TrySignInAsync(authenticator);

        JsonElement body = await response.AssertOkJsonAsync();
        Assert.NotNull(response.SetCookie());
        Assert.Equal(userId, body.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("passkey", body.GetProperty("session").GetProperty("method").GetString());
        Assert.Equal(["swk", "user", "mfa"], body.GetProperty("session").GetProperty("amr").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/auth/me")).StatusCode);

        JsonElement sessions = (await (await phone.GetAsync("/auth/sessions")).AssertOkJsonAsync()).GetProperty("sessions");
        Assert.Equal(["passkey", "password"], sessions.EnumerateArray().Select(s => s.GetProperty("method").GetString()));
        Assert.Equal(["pwd"], sessions[1].GetProperty("amr").EnumerateArray().Select(v => v.GetString()));

        PasskeyCredential used = (await _server.Services.GetRequiredService<IPasskeyStore>().FindAsync(authenticator.CredentialIdText, CancellationToken.None))!;
        Assert.Equal(_server.Time.GetUtcNow(), used.LastUsedAt);
    }

    [Fact]
    public async Task ADeviceBoundPasskeyIsAHardwareKey()
    {
        (_, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync(new SoftwareAuthenticator { BackupEligible = false, BackedUp = false });
        using SoftwareAuthenticator owned = authenticator;

        JsonElement body = await _server.CreateBrowser().SignInWithPasskeyAsync(authenticator);

        Assert.Equal(["hwk", "user", "mfa"], body.GetProperty("session").GetProperty("amr").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task APasskeyTokenSignInAnswersAsThePasswordOneAndItsAccessTokenWorks()
    {
        (_, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync();
        using SoftwareAuthenticator owned = authenticator;
        HttpClient client = _server.CreateBareClient();

        JsonElement tokens = await (await client.TrySignInAsync(authenticator, "/auth/token/passkey")).AssertOkJsonAsync();

        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString());
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refresh_token").GetString()));
        var me = new HttpRequestMessage(HttpMethod.Get, "/auth/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        JsonElement session = (await (await client.SendAsync(me)).AssertOkJsonAsync()).GetProperty("session");
        Assert.Equal("token", session.GetProperty("kind").GetString());
        Assert.Equal("passkey", session.GetProperty("method").GetString());
    }

    [Fact]
    public async Task ASignInFromAnotherOriginIsRefused()
    {
        (_, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync();
        using SoftwareAuthenticator owned = authenticator;
        authenticator.Origin = "https://localhost.evil.example";

        await (await _server.CreateBrowser().TrySignInAsync(authenticator)).AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");
    }

    [Fact]
    public async Task ASignInForAnotherRelyingPartyIsRefused()
    {
        (_, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync();
        using SoftwareAuthenticator owned = authenticator;
        authenticator.RpIdOverride = "evil.example";

        await (await _server.CreateBrowser().TrySignInAsync(authenticator)).AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");
    }

    [Fact]
    public async Task ASignInWithoutUserVerificationIsRefused()
    {
        (_, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync();
        using SoftwareAuthenticator owned = authenticator;
        authenticator.UserVerified = false;

        await (await _server.CreateBrowser().TrySignInAsync(authenticator)).AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");
    }

    [Fact]
    public async Task ASignInWithABadSignatureIsRefused()
    {
        (_, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync();
        using SoftwareAuthenticator owned = authenticator;
        HttpClient client = _server.CreateBrowser();
        (JsonElement options, string state) = await client.AssertionOptionsAsync();
        JsonObject credential = authenticator.Get(options);
        // Another key's signature over the same data.
        using var impostor = new SoftwareAuthenticator();
        credential["response"]!["signature"] = impostor.Get(options)["response"]!["signature"]!.GetValue<string>();

        await (await client.PostJsonAsync("/auth/session/passkey", new { state, credential })).AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");
    }

    [Fact]
    public async Task AnUnknownPasskeyIsRefused()
    {
        using var stranger = new SoftwareAuthenticator();
        await _server.CreateBrowser().RegisterAndSignInAsync("alice");

        await (await _server.CreateBrowser().TrySignInAsync(stranger)).AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");
    }

    [Fact]
    public async Task AReplayedStateIsRefusedEvenWithAFreshSignature()
    {
        (_, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync();
        using SoftwareAuthenticator owned = authenticator;
        authenticator.CounterStep = 1;
        HttpClient client = _server.CreateBrowser();
        (JsonElement options, string state) = await client.AssertionOptionsAsync();
        await (await client.PostJsonAsync("/auth/session/passkey", new { state, credential = authenticator.Get(options) })).AssertOkJsonAsync();

        // The same state (its challenge) again, with a new, validly signed response with a higher counter.
        HttpResponseMessage replay = await _server.CreateBrowser().PostJsonAsync("/auth/session/passkey", new { state, credential = authenticator.Get(options) });

        await replay.AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");
    }

    [Fact]
    public async Task AnExpiredSignInStateIsRefused()
    {
        (_, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync();
        using SoftwareAuthenticator owned = authenticator;
        HttpClient client = _server.CreateBrowser();
        (JsonElement options, string state) = await client.AssertionOptionsAsync();
        _server.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        await (await client.PostJsonAsync("/auth/session/passkey", new { state, credential = authenticator.Get(options) })).AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");
    }

    [Fact]
    public async Task ARegistrationStateDoesNotSignIn()
    {
        (_, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync();
        using SoftwareAuthenticator owned = authenticator;
        HttpClient alice = _server.CreateBrowser();
        await alice.SignInAsync("alice");
        (JsonElement registrationOptions, string registrationState) = await alice.RegistrationOptionsAsync();
        JsonElement asRequest = JsonSerializer.SerializeToElement(new { challenge = registrationOptions.GetProperty("challenge").GetString(), rpId = "localhost" });

        await (await _server.CreateBrowser().PostJsonAsync("/auth/session/passkey", new { state = registrationState, credential = authenticator.Get(asRequest) }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");
    }

    [Fact]
    public async Task ACounterThatGoesBackIsRefusedAndAuditedAsAPossibleClone()
    {
        (string userId, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync(new SoftwareAuthenticator { Counter = 5, CounterStep = 1 });
        using SoftwareAuthenticator owned = authenticator;
        await _server.CreateBrowser().SignInWithPasskeyAsync(authenticator); // counter 6

        authenticator.Counter = 3;
        await (await _server.CreateBrowser().TrySignInAsync(authenticator)).AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");
        // A counter that stops (0) after it counted is refused too.
        authenticator.Counter = 0;
        authenticator.CounterStep = 0;
        await (await _server.CreateBrowser().TrySignInAsync(authenticator)).AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");

        PasskeyCredential stored = (await _server.Services.GetRequiredService<IPasskeyStore>().FindAsync(authenticator.CredentialIdText, CancellationToken.None))!;
        Assert.Equal(6u, stored.SignCount);
        IReadOnlyList<AuditEvent> events = await AuditAsync(userId);
        Assert.Equal(2, events.Count(e => e.Type == PasskeyAuditEventTypes.CloneSuspected));
    }

    [Fact]
    public async Task ACounterThatAdvancesIsKeptAndAZeroCounterIsAccepted()
    {
        (_, SoftwareAuthenticator counting) = await AliceWithAPasskeyAsync(new SoftwareAuthenticator { CounterStep = 7 });
        using SoftwareAuthenticator owned = counting;
        await _server.CreateBrowser().SignInWithPasskeyAsync(counting);
        await _server.CreateBrowser().SignInWithPasskeyAsync(counting);
        Assert.Equal(14u, (await _server.Services.GetRequiredService<IPasskeyStore>().FindAsync(counting.CredentialIdText, CancellationToken.None))!.SignCount);

        HttpClient bob = _server.CreateBrowser();
        await bob.RegisterAndSignInAsync("bob");
        using var synced = new SoftwareAuthenticator(); // counter always 0, as synced passkeys report
        await bob.RegisterPasskeyAsync(synced);
        await _server.CreateBrowser().SignInWithPasskeyAsync(synced);
        await _server.CreateBrowser().SignInWithPasskeyAsync(synced);
    }

    [Fact]
    public async Task TheBackupStateIsKeptFromTheLastUse()
    {
        (_, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync(new SoftwareAuthenticator { BackedUp = false });
        using SoftwareAuthenticator owned = authenticator;
        authenticator.BackedUp = true;

        await _server.CreateBrowser().SignInWithPasskeyAsync(authenticator);

        PasskeyCredential stored = (await _server.Services.GetRequiredService<IPasskeyStore>().FindAsync(authenticator.CredentialIdText, CancellationToken.None))!;
        Assert.True(stored.BackedUp);
        Assert.True(stored.BackupEligible);
    }

    [Fact]
    public async Task AUserHandleOfAnotherAccountIsRefused()
    {
        (_, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync();
        using SoftwareAuthenticator owned = authenticator;
        HttpClient client = _server.CreateBrowser();
        (JsonElement options, string state) = await client.AssertionOptionsAsync();
        JsonObject credential = authenticator.Get(options);
        credential["response"]!["userHandle"] = System.Buffers.Text.Base64Url.EncodeToString("someone-else"u8);

        await (await client.PostJsonAsync("/auth/session/passkey", new { state, credential })).AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");
    }

    [Fact]
    public async Task ADisabledAccountIsRefusedAfterAValidPasskey()
    {
        (string userId, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync();
        using SoftwareAuthenticator owned = authenticator;
        await _server.Services.GetRequiredService<Tessera.Users.UserAdministration>().DisableAsync(userId, CancellationToken.None);

        await (await _server.CreateBrowser().TrySignInAsync(authenticator)).AssertProblemAsync(HttpStatusCode.Forbidden, "account_disabled");
        await (await _server.CreateBareClient().TrySignInAsync(authenticator, "/auth/token/passkey")).AssertProblemAsync(HttpStatusCode.Forbidden, "account_disabled");
    }

    [Fact]
    public async Task ALockedAccountIsRefusedAfterAValidPasskey()
    {
        (string userId, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync();
        using SoftwareAuthenticator owned = authenticator;
        await _server.Services.GetRequiredService<Tessera.Users.UserAdministration>().LockAsync(userId, _server.Time.GetUtcNow().AddHours(1), CancellationToken.None);

        HttpResponseMessage response = await _server.CreateBrowser().TrySignInAsync(authenticator);

        await response.AssertProblemAsync(HttpStatusCode.Locked, "account_locked");
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task MalformedSignInsAreRefusedNeverAServerError()
    {
        HttpClient client = _server.CreateBrowser();
        await (await client.PostJsonAsync("/auth/session/passkey", new { })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        (_, string state) = await client.AssertionOptionsAsync();
        await (await client.PostJsonAsync("/auth/session/passkey", new { state, credential = "x" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        foreach (object credential in new object[]
        {
            new { id = "AA" },
            new { id = "AA", rawId = "AA", type = "public-key", response = new { clientDataJSON = "e30", authenticatorData = "AA", signature = "AA" } },
            new { id = "AA", rawId = "*", type = "public-key", response = new { clientDataJSON = 5, authenticatorData = "AA", signature = "AA" } },
            new { id = "AA", rawId = "AA", type = "nope", response = new { clientDataJSON = "e30", authenticatorData = "AA", signature = "AA" } },
        })
        {
            (_, string fresh) = await client.AssertionOptionsAsync();
            HttpResponseMessage response = await client.PostJsonAsync("/auth/session/passkey", new { state = fresh, credential });
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        await (await client.PostJsonAsync("/auth/session/passkey", new { state = "garbage", credential = new { id = "AA" } })).AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");
    }

    [Fact]
    public async Task PasskeySignInsAreAuditedWithTheMethod()
    {
        (string userId, SoftwareAuthenticator authenticator) = await AliceWithAPasskeyAsync();
        using SoftwareAuthenticator owned = authenticator;
        await _server.CreateBrowser().SignInWithPasskeyAsync(authenticator);
        authenticator.UserVerified = false;
        await _server.CreateBrowser().TrySignInAsync(authenticator);

        IReadOnlyList<AuditEvent> events = await AuditAsync(userId);
        Assert.Contains(events, e => e.Type == AuditEventTypes.SignInSucceeded && e.Detail == "passkey " + authenticator.CredentialIdText);
        Assert.Contains(events, e => e.Type == AuditEventTypes.SignInFailed && e.Detail == "passkey" && e.Outcome == "passkey_invalid");
        Assert.Contains(events, e => e.Type == PasskeyAuditEventTypes.Registered && e.Detail == authenticator.CredentialIdText);
    }

    [Fact]
    public async Task PasskeySignInSharesThePasswordSignInRateLimit()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:RateLimits:SignInPerClient:PermitLimit"] = "2" });
        HttpClient client = server.CreateBrowser("198.51.100.20");
        using var stranger = new SoftwareAuthenticator();
        await (await client.PostJsonAsync("/auth/session", new { username = "nobody", password = "wrong password here" })).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await (await client.TrySignInAsync(stranger)).AssertProblemAsync(HttpStatusCode.Unauthorized, "passkey_invalid");

        await (await client.TrySignInAsync(stranger, "/auth/token/passkey")).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    private async Task<IReadOnlyList<AuditEvent>> AuditAsync(string userId)
    {
        var audit = _server.Services.GetRequiredService<IAuditLog>();
        return (await audit.QueryAsync(new AuditQuery { UserId = userId, Limit = 100 }, CancellationToken.None)).Events;
    }
}
