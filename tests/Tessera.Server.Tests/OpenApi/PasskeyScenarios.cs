using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Server.Tests.Passkeys;

namespace Tessera.Server.Tests.OpenApi;

/// <summary>The scenarios of the passkey endpoints (#16, docs/passkeys.md), with a <see cref="SoftwareAuthenticator"/> in the browser's place.</summary>
internal static class PasskeyScenarios
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("POST", "/auth/passkeys/registration/options", "signed in", 200, async w => await (await w.SignedInBrowserAsync()).PostAsync("/auth/passkeys/registration/options", null)),
        new("POST", "/auth/passkeys/registration/options", "not signed in", 401, w => Bare(w).PostAsync("/auth/passkeys/registration/options", null)),
        new("POST", "/auth/passkeys/registration", "verified", 201, async w =>
        {
            using var authenticator = new SoftwareAuthenticator();
            return await (await w.SignedInBrowserAsync()).TryRegisterAsync(authenticator, "Laptop");
        }),
        new("POST", "/auth/passkeys/registration", "no state", 400, async w => await (await w.SignedInBrowserAsync()).PostAsJsonAsync("/auth/passkeys/registration", new { credential = new { id = "AA" } })),
        new("POST", "/auth/passkeys/registration", "wrong origin", 400, async w =>
        {
            using var authenticator = new SoftwareAuthenticator { Origin = "https://evil.example" };
            return await (await w.SignedInBrowserAsync()).TryRegisterAsync(authenticator);
        }),
        new("POST", "/auth/passkeys/registration", "registered already", 409, async w =>
        {
            using var authenticator = new SoftwareAuthenticator();
            HttpClient browser = await w.SignedInBrowserAsync();
            await browser.RegisterPasskeyAsync(authenticator);
            return await browser.TryRegisterAsync(authenticator);
        }),
        new("POST", "/auth/passkeys/registration", "not signed in", 401, w => Bare(w).PostAsJsonAsync("/auth/passkeys/registration", new { state = "x", credential = new { id = "AA" } })),
        new("GET", "/auth/passkeys", "signed in", 200, async w =>
        {
            using var authenticator = new SoftwareAuthenticator();
            HttpClient browser = await w.SignedInBrowserAsync();
            await browser.RegisterPasskeyAsync(authenticator);
            return await browser.GetAsync("/auth/passkeys");
        }),
        new("GET", "/auth/passkeys", "not signed in", 401, w => Bare(w).GetAsync("/auth/passkeys")),
        new("PATCH", "/auth/passkeys/{id}", "renamed", 200, async w =>
        {
            using var authenticator = new SoftwareAuthenticator();
            HttpClient browser = await w.SignedInBrowserAsync();
            await browser.RegisterPasskeyAsync(authenticator);
            return await browser.PatchAsJsonAsync($"/auth/passkeys/{authenticator.CredentialIdText}", new { name = "Phone" });
        }),
        new("PATCH", "/auth/passkeys/{id}", "blank name", 400, async w => await (await w.SignedInBrowserAsync()).PatchAsJsonAsync("/auth/passkeys/AAAA", new { name = " " })),
        new("PATCH", "/auth/passkeys/{id}", "unknown", 404, async w => await (await w.SignedInBrowserAsync()).PatchAsJsonAsync("/auth/passkeys/AAAA", new { name = "Phone" })),
        new("DELETE", "/auth/passkeys/{id}", "removed", 204, async w =>
        {
            using var authenticator = new SoftwareAuthenticator();
            HttpClient browser = await w.SignedInBrowserAsync();
            await browser.RegisterPasskeyAsync(authenticator);
            return await browser.DeleteAsync($"/auth/passkeys/{authenticator.CredentialIdText}");
        }),
        new("DELETE", "/auth/passkeys/{id}", "unknown", 404, async w => await (await w.SignedInBrowserAsync()).DeleteAsync("/auth/passkeys/AAAA")),
        new("DELETE", "/auth/passkeys/{id}", "last one of a passwordless account", 409, async w =>
        {
            using var authenticator = new SoftwareAuthenticator();
            HttpClient browser = await w.SignedInBrowserAsync();
            await browser.RegisterPasskeyAsync(authenticator);
            await (await RemovePasswordAsync(browser, Http.Password)).AssertOkJsonAsync();
            return await browser.DeleteAsync($"/auth/passkeys/{authenticator.CredentialIdText}");
        }),
        new("POST", "/auth/passkeys/assertion/options", "anyone", 200, w => Bare(w).PostAsync("/auth/passkeys/assertion/options", null)),
        new("POST", "/auth/session/passkey", "verified", 200, async w =>
        {
            using var authenticator = new SoftwareAuthenticator();
            await (await w.SignedInBrowserAsync()).RegisterPasskeyAsync(authenticator);
            return await Bare(w).TrySignInAsync(authenticator);
        }),
        new("POST", "/auth/session/passkey", "no credential", 400, w => Bare(w).PostAsJsonAsync("/auth/session/passkey", new { state = "x" })),
        new("POST", "/auth/session/passkey", "unknown passkey", 401, async w =>
        {
            using var stranger = new SoftwareAuthenticator();
            return await Bare(w).TrySignInAsync(stranger);
        }),
        new("POST", "/auth/token/passkey", "verified", 200, async w =>
        {
            using var authenticator = new SoftwareAuthenticator();
            await (await w.SignedInBrowserAsync()).RegisterPasskeyAsync(authenticator);
            return await Bare(w).TrySignInAsync(authenticator, "/auth/token/passkey");
        }),
        new("POST", "/auth/token/passkey", "without user verification", 401, async w =>
        {
            using var authenticator = new SoftwareAuthenticator();
            await (await w.SignedInBrowserAsync()).RegisterPasskeyAsync(authenticator);
            authenticator.UserVerified = false;
            return await Bare(w).TrySignInAsync(authenticator, "/auth/token/passkey");
        }),
        new("DELETE", "/auth/password", "passwordless now", 200, async w =>
        {
            using var authenticator = new SoftwareAuthenticator();
            HttpClient browser = await w.SignedInBrowserAsync();
            await browser.RegisterPasskeyAsync(authenticator);
            return await RemovePasswordAsync(browser, Http.Password);
        }),
        new("DELETE", "/auth/password", "no current password", 400, async w => await RemovePasswordAsync(await w.SignedInBrowserAsync(), "")),
        new("DELETE", "/auth/password", "wrong password", 401, async w =>
        {
            using var authenticator = new SoftwareAuthenticator();
            HttpClient browser = await w.SignedInBrowserAsync();
            await browser.RegisterPasskeyAsync(authenticator);
            return await RemovePasswordAsync(browser, "not the password at all");
        }),
        new("DELETE", "/auth/password", "no passkey", 409, async w => await RemovePasswordAsync(await w.SignedInBrowserAsync(), Http.Password)),
        new("GET", "/admin/users/{id}/passkeys", "a user", 200, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync($"/admin/users/{(await w.TargetUserAsync()).UserId}/passkeys")),
        new("GET", "/admin/users/{id}/passkeys", "unknown", 404, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync("/admin/users/nobody/passkeys")),
        new("DELETE", "/admin/users/{id}/passkeys/{credentialId}", "one passkey", 204, async w =>
        {
            using var authenticator = new SoftwareAuthenticator();
            HttpClient browser = await w.SignedInBrowserAsync();
            string userId = (await (await browser.GetAsync("/auth/me")).AssertOkJsonAsync()).GetProperty("user").GetProperty("id").GetString()!;
            await browser.RegisterPasskeyAsync(authenticator);
            return await (await w.AdminBrowserAsync()).Browser.DeleteAsync($"/admin/users/{userId}/passkeys/{authenticator.CredentialIdText}");
        }),
        new("DELETE", "/admin/users/{id}/passkeys/{credentialId}", "unknown passkey", 404, async w => await (await w.AdminBrowserAsync()).Browser.DeleteAsync($"/admin/users/{(await w.TargetUserAsync()).UserId}/passkeys/AAAA")),
    ];

    private static Task<HttpResponseMessage> RemovePasswordAsync(HttpClient browser, string currentPassword) =>
        browser.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/auth/password") { Content = JsonContent.Create(new { currentPassword }) });

    // No cookie jar, redirects returned: as OpenApiScenarios' own.
    private static HttpClient Bare(ScenarioWorld world)
    {
        HttpClient client = world.Server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false,
            HandleCookies = false,
        });
        client.DefaultRequestHeaders.Add(TestServerFactory.ClientIpHeader, world.Next().Ip);
        return client;
    }
}
