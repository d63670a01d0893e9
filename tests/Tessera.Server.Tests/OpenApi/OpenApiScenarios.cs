using System.Net.Http.Json;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.OpenApi;

/// <summary>One real request for one documented operation, and the status it must get.</summary>
/// <param name="Method">The operation's method.</param>
/// <param name="Path">The operation's path template in the document.</param>
/// <param name="Case">What the request is about.</param>
/// <param name="Status">The status the server must answer.</param>
/// <param name="Send">Sends the request through the world's server.</param>
public sealed record Scenario(string Method, string Path, string Case, int Status, Func<ScenarioWorld, Task<HttpResponseMessage>> Send)
{
    public override string ToString() => $"{Method} {Path}: {Case} → {Status}";
}

/// <summary>
/// The scenario table: the success case and the main failures of every documented operation. A
/// new endpoint needs a row here (<see cref="OpenApiResponseTests.EveryDocumentedOperationHasASuccessScenario"/>).
/// </summary>
internal static class OpenApiScenarios
{
    private const string Json = "application/json";

    public static IReadOnlyList<Scenario> All { get; } =
    [
        // Health.
        new("GET", "/healthz", "stores answer", 200, w => Bare(w).GetAsync("/healthz")),
        new("GET", "/health/live", "process answers", 200, w => Bare(w).GetAsync("/health/live")),
        new("GET", "/health/ready", "stores and key ring ready", 200, w => Bare(w).GetAsync("/health/ready")),

        // Accounts.
        new("POST", "/auth/register", "new account", 201, w => Bare(w).PostAsJsonAsync("/auth/register", new { username = w.Next().Username, password = Http.Password })),
        new("POST", "/auth/register", "no password", 400, w => Bare(w).PostAsJsonAsync("/auth/register", new { username = w.Next().Username })),
        new("POST", "/auth/register", "body not JSON", 400, w => Bare(w).PostAsync("/auth/register", new StringContent("{", System.Text.Encoding.UTF8, Json))),
        new("POST", "/auth/register", "name taken", 409, async w =>
        {
            string username = w.Next().Username;
            await Bare(w).RegisterAsync(username);
            return await Bare(w).PostAsJsonAsync("/auth/register", new { username, password = Http.Password });
        }),
        new("POST", "/auth/session", "right password", 200, async w =>
        {
            string username = w.Next().Username;
            await Bare(w).RegisterAsync(username);
            return await Bare(w).PostAsJsonAsync("/auth/session", new { username, password = Http.Password });
        }),
        new("POST", "/auth/session", "wrong password", 401, async w =>
        {
            string username = w.Next().Username;
            await Bare(w).RegisterAsync(username);
            return await Bare(w).PostAsJsonAsync("/auth/session", new { username, password = "not the password at all" });
        }),
        new("POST", "/auth/session", "no username", 400, w => Bare(w).PostAsJsonAsync("/auth/session", new { password = Http.Password })),
        new("POST", "/auth/session", "cross-site", 403, w => CrossSite(w, HttpMethod.Post, "/auth/session", new { username = "x", password = Http.Password })),
        new("POST", "/auth/session", "over the limit", 429, async w =>
        {
            HttpClient client = w.Limited.CreateBareClient("203.0.113.9");
            await client.PostAsJsonAsync("/auth/session", new { username = "nobody", password = Http.Password });
            return await client.PostAsJsonAsync("/auth/session", new { username = "nobody", password = Http.Password });
        }),
        new("DELETE", "/auth/session", "sign out", 204, async w => await (await w.SignedInBrowserAsync()).DeleteAsync("/auth/session")),
        new("DELETE", "/auth/session", "not signed in", 401, w => Bare(w).DeleteAsync("/auth/session")),
        new("GET", "/auth/me", "signed in", 200, async w => await (await w.SignedInBrowserAsync()).GetAsync("/auth/me")),
        new("GET", "/auth/me", "bearer", 200, async w => await Bare(w).GetWithBearerAsync("/auth/me", (await w.TokensAsync()).Access())),
        new("GET", "/auth/me", "not signed in", 401, w => Bare(w).GetAsync("/auth/me")),
        new("POST", "/auth/password", "changed", 200, async w => await (await w.SignedInBrowserAsync()).PostAsJsonAsync("/auth/password", new { currentPassword = Http.Password, newPassword = "another horse battery staple" })),
        new("POST", "/auth/password", "no current password", 400, async w => await (await w.SignedInBrowserAsync()).PostAsJsonAsync("/auth/password", new { newPassword = "another horse battery staple" })),
        new("POST", "/auth/password", "not signed in", 401, w => Bare(w).PostAsJsonAsync("/auth/password", new { currentPassword = Http.Password, newPassword = "another horse battery staple" })),

        // Tokens.
        new("POST", "/auth/token", "right password", 200, async w =>
        {
            string username = w.Next().Username;
            await Bare(w).RegisterAsync(username);
            return await Bare(w).PostAsJsonAsync("/auth/token", new { username, password = Http.Password });
        }),
        new("POST", "/auth/token", "wrong password", 401, async w =>
        {
            string username = w.Next().Username;
            await Bare(w).RegisterAsync(username);
            return await Bare(w).PostAsJsonAsync("/auth/token", new { username, password = "not the password at all" });
        }),
        new("POST", "/auth/token", "bad delivery", 400, w => Bare(w).PostAsJsonAsync("/auth/token?delivery=carrier-pigeon", new { username = "x", password = Http.Password })),
        new("POST", "/auth/token/refresh", "fresh refresh token", 200, async w => await Bare(w).RefreshAsync((await w.TokensAsync()).Refresh())),
        new("POST", "/auth/token/refresh", "unknown refresh token", 401, w => Bare(w).RefreshAsync("not-a-refresh-token")),
        new("POST", "/auth/token/revoke", "revoked", 204, async w => await Bare(w).PostAsJsonAsync("/auth/token/revoke", new { refresh_token = (await w.TokensAsync()).Refresh() })),
        new("POST", "/auth/token/revoke", "no token", 400, w => Bare(w).PostAsJsonAsync("/auth/token/revoke", new { })),

        // Sessions and attributes.
        new("GET", "/auth/sessions", "signed in", 200, async w => await (await w.SignedInBrowserAsync()).GetAsync("/auth/sessions")),
        new("GET", "/auth/sessions", "not signed in", 401, w => Bare(w).GetAsync("/auth/sessions")),
        new("DELETE", "/auth/sessions", "end the others", 200, async w => await (await w.SignedInBrowserAsync()).DeleteAsync("/auth/sessions?others=true")),
        new("DELETE", "/auth/sessions/{id}", "own session", 204, async w =>
        {
            System.Text.Json.JsonElement tokens = await w.TokensAsync();
            return await Bare(w).SendWithBearerAsync(HttpMethod.Delete, $"/auth/sessions/{tokens.SessionId()}", tokens.Access());
        }),
        new("DELETE", "/auth/sessions/{id}", "unknown session", 404, async w => await (await w.SignedInBrowserAsync()).DeleteAsync("/auth/sessions/no-such-session")),
        new("GET", "/auth/session/attributes", "none yet", 200, async w => await (await w.SignedInBrowserAsync()).GetAsync("/auth/session/attributes")),
        new("PUT", "/auth/session/attributes/{key}", "set", 200, async w => await (await w.SignedInBrowserAsync()).PutAsJsonAsync("/auth/session/attributes/theme", new { value = "dark" })),
        new("PUT", "/auth/session/attributes/{key}", "bad key", 400, async w => await (await w.SignedInBrowserAsync()).PutAsJsonAsync("/auth/session/attributes/" + new string('k', 300), new { value = "dark" })),
        new("GET", "/auth/session/attributes/{key}", "set before", 200, async w =>
        {
            HttpClient browser = await w.SignedInBrowserAsync();
            await browser.PutAsJsonAsync("/auth/session/attributes/theme", new { value = "dark" });
            return await browser.GetAsync("/auth/session/attributes/theme");
        }),
        new("GET", "/auth/session/attributes/{key}", "unknown", 404, async w => await (await w.SignedInBrowserAsync()).GetAsync("/auth/session/attributes/nothing")),
        new("DELETE", "/auth/session/attributes/{key}", "set before", 204, async w =>
        {
            HttpClient browser = await w.SignedInBrowserAsync();
            await browser.PutAsJsonAsync("/auth/session/attributes/theme", new { value = "dark" });
            return await browser.DeleteAsync("/auth/session/attributes/theme");
        }),
        new("DELETE", "/auth/session/attributes/{key}", "unknown", 404, async w => await (await w.SignedInBrowserAsync()).DeleteAsync("/auth/session/attributes/nothing")),

        // Consents.
        new("GET", "/auth/consents", "after a consent", 200, async w => await (await w.ConsentedAsync()).Browser.GetAsync("/auth/consents")),
        new("DELETE", "/auth/consents/{clientId}", "withdrawn", 200, async w => await (await w.ConsentedAsync()).Browser.DeleteAsync($"/auth/consents/{ScenarioWorld.ClientId}")),
        new("DELETE", "/auth/consents/{clientId}", "never given", 404, async w => await (await w.SignedInBrowserAsync()).DeleteAsync("/auth/consents/nobody")),

        // OAuth.
        new("POST", "/oauth2/token", "authorization code", 200, async w => (await w.CodeExchangeAsync()).Exchange),
        new("POST", "/oauth2/token", "client credentials", 200, w => Bare(w).SendAsync(ScenarioWorld.ClientForm("/oauth2/token", ("grant_type", "client_credentials")))),
        new("POST", "/oauth2/token", "unknown grant", 400, w => Bare(w).SendAsync(ScenarioWorld.ClientForm("/oauth2/token", ("grant_type", "password")))),
        new("POST", "/oauth2/token", "wrong secret in the form", 400, w => Bare(w).PostAsync("/oauth2/token", new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("client_id", ScenarioWorld.ClientId), new("client_secret", "wrong")]))),
        new("POST", "/oauth2/token", "wrong secret with Basic", 401, w =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token") { Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]) };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{ScenarioWorld.ClientId}:wrong")));
            return Bare(w).SendAsync(request);
        }),
        new("POST", "/oauth2/token", "JSON instead of a form", 400, w => Bare(w).PostAsJsonAsync("/oauth2/token", new { grant_type = "client_credentials" })),
        new("POST", "/oauth2/revoke", "access token revoked", 200, async w => await Bare(w).SendAsync(ScenarioWorld.ClientForm("/oauth2/revoke", ("token", (await w.ConsentedAsync()).Tokens.Access())))),
        new("POST", "/oauth2/revoke", "no token", 400, w => Bare(w).SendAsync(ScenarioWorld.ClientForm("/oauth2/revoke"))),
        new("POST", "/oauth2/introspect", "active token", 200, async w => await Bare(w).SendAsync(ScenarioWorld.ClientForm("/oauth2/introspect", ("token", (await w.TokensAsync()).Access())))),
        new("POST", "/oauth2/introspect", "unknown token", 200, w => Bare(w).SendAsync(ScenarioWorld.ClientForm("/oauth2/introspect", ("token", "nothing")))),
        new("POST", "/oauth2/introspect", "no caller", 401, w => Bare(w).PostAsync("/oauth2/introspect", new FormUrlEncodedContent([new("token", "nothing")]))),
        new("GET", "/oauth2/userinfo", "openid token", 200, async w => await Bare(w).GetWithBearerAsync("/oauth2/userinfo", (await w.ConsentedAsync()).Tokens.Access())),
        new("GET", "/oauth2/userinfo", "first-party token without openid", 403, async w => await Bare(w).GetWithBearerAsync("/oauth2/userinfo", (await w.TokensAsync()).Access())),
        new("GET", "/oauth2/userinfo", "bad token", 401, w => Bare(w).GetWithBearerAsync("/oauth2/userinfo", "not.a.token")),
        new("POST", "/oauth2/userinfo", "openid token", 200, async w => await Bare(w).SendWithBearerAsync(HttpMethod.Post, "/oauth2/userinfo", (await w.ConsentedAsync()).Tokens.Access())),
        new("GET", "/.well-known/jwks.json", "keys", 200, w => Bare(w).GetAsync("/.well-known/jwks.json")),
        new("GET", "/.well-known/openid-configuration", "metadata", 200, w => Bare(w).GetAsync("/.well-known/openid-configuration")),
        new("GET", "/.well-known/oauth-authorization-server", "metadata", 200, w => Bare(w).GetAsync("/.well-known/oauth-authorization-server")),

        // The provider's pages.
        new("GET", "/oauth2/authorize", "valid request", 302, w => Bare(w).GetAsync(ScenarioWorld.AuthorizeQuery())),
        new("GET", "/oauth2/authorize", "unknown client", 400, w => Bare(w).GetAsync(ScenarioWorld.AuthorizeQuery("nobody"))),
        new("POST", "/oauth2/authorize", "valid form", 303, w => Bare(w).PostAsync("/oauth2/authorize", new FormUrlEncodedContent(new Uri(new Uri("https://localhost"), ScenarioWorld.AuthorizeQuery()).Query.TrimStart('?').Split('&').Select(p => p.Split('=')).Select(p => KeyValuePair.Create(Uri.UnescapeDataString(p[0]), Uri.UnescapeDataString(p[1])))))),
        new("POST", "/oauth2/authorize", "not a form", 400, w => Bare(w).PostAsJsonAsync("/oauth2/authorize", new { client_id = ScenarioWorld.ClientId })),
        new("GET", "/oauth2/signin", "pending request", 200, async w =>
        {
            (HttpClient browser, string request, _) = await w.PendingSignInAsync();
            return await browser.GetAsync($"/oauth2/signin?request={Uri.EscapeDataString(request)}");
        }),
        new("GET", "/oauth2/signin", "expired request", 400, w => Bare(w).GetAsync("/oauth2/signin?request=forged")),
        new("POST", "/oauth2/signin", "right password", 303, async w =>
        {
            (HttpClient browser, string request, string username) = await w.PendingSignInAsync();
            return await browser.SendAsync(ScenarioWorld.Form("/oauth2/signin", ("request", request), ("username", username), ("password", Http.Password)));
        }),
        new("POST", "/oauth2/signin", "no username", 400, async w =>
        {
            (HttpClient browser, string request, _) = await w.PendingSignInAsync();
            return await browser.SendAsync(ScenarioWorld.Form("/oauth2/signin", ("request", request), ("password", Http.Password)));
        }),
        new("GET", "/oauth2/consent", "pending request", 200, async w =>
        {
            (HttpClient browser, string request) = await w.PendingConsentAsync();
            return await browser.GetAsync($"/oauth2/consent?request={Uri.EscapeDataString(request)}");
        }),
        new("GET", "/oauth2/consent", "expired request", 400, w => Bare(w).GetAsync("/oauth2/consent?request=forged")),
        new("POST", "/oauth2/consent", "allow", 303, async w =>
        {
            (HttpClient browser, string request) = await w.PendingConsentAsync();
            return await browser.SendAsync(ScenarioWorld.Form("/oauth2/consent", ("request", request), ("decision", "allow")));
        }),
        new("POST", "/oauth2/consent", "expired request", 400, w => Bare(w).SendAsync(ScenarioWorld.Form("/oauth2/consent", ("request", "forged"), ("decision", "allow")))),
        new("GET", "/oauth2/logout", "signed in: confirmation page", 200, async w => await (await w.SignedInBrowserAsync()).GetAsync($"/oauth2/logout?client_id={ScenarioWorld.ClientId}&post_logout_redirect_uri={Uri.EscapeDataString(ScenarioWorld.SignedOut)}")),
        new("GET", "/oauth2/logout", "a parameter twice", 400, w => Bare(w).GetAsync("/oauth2/logout?state=a&state=b")),
        new("POST", "/oauth2/logout", "confirmed", 303, async w => await (await w.SignedInBrowserAsync()).SendAsync(ScenarioWorld.Form("/oauth2/logout",
            ("client_id", ScenarioWorld.ClientId), ("post_logout_redirect_uri", ScenarioWorld.SignedOut), ("confirm", "yes")))),

        // The demo shop.
        new("GET", "/shop/products", "catalog", 200, w => Bare(w).GetAsync("/shop/products")),
        new("GET", "/shop/cart", "signed in", 200, async w => await (await w.SignedInBrowserAsync()).GetAsync("/shop/cart")),
        new("GET", "/shop/cart", "not signed in", 401, w => Bare(w).GetAsync("/shop/cart")),
        new("POST", "/shop/cart/items", "add", 200, async w => await (await w.SignedInBrowserAsync()).PostAsJsonAsync("/shop/cart/items", new { productId = "tessera-bronze", quantity = 1 })),
        new("POST", "/shop/cart/items", "no quantity", 400, async w => await (await w.SignedInBrowserAsync()).PostAsJsonAsync("/shop/cart/items", new { productId = "tessera-bronze" })),
        new("POST", "/shop/cart/items", "unknown product", 404, async w => await (await w.SignedInBrowserAsync()).PostAsJsonAsync("/shop/cart/items", new { productId = "nothing", quantity = 1 })),
        new("DELETE", "/shop/cart/items/{productId}", "in the cart", 204, async w =>
        {
            HttpClient browser = await w.SignedInBrowserAsync();
            await browser.PostAsJsonAsync("/shop/cart/items", new { productId = "tessera-bronze", quantity = 1 });
            return await browser.DeleteAsync("/shop/cart/items/tessera-bronze");
        }),
        new("DELETE", "/shop/cart/items/{productId}", "not in the cart", 404, async w => await (await w.SignedInBrowserAsync()).DeleteAsync("/shop/cart/items/tessera-bronze")),
        new("POST", "/shop/orders", "cart filled", 201, async w =>
        {
            HttpClient browser = await w.SignedInBrowserAsync();
            await browser.PostAsJsonAsync("/shop/cart/items", new { productId = "tessera-bronze", quantity = 1 });
            return await browser.PostAsync("/shop/orders", null);
        }),
        new("POST", "/shop/orders", "cart empty", 409, async w => await (await w.SignedInBrowserAsync()).PostAsync("/shop/orders", null)),
        new("GET", "/shop/orders", "signed in", 200, async w => await (await w.SignedInBrowserAsync()).GetAsync("/shop/orders")),

        // The admin API (as on main: clients and roles).
        new("GET", "/admin/clients", "admin", 200, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync("/admin/clients")),
        new("GET", "/admin/clients", "not an admin", 403, async w => await (await w.SignedInBrowserAsync()).GetAsync("/admin/clients")),
        new("GET", "/admin/clients", "not signed in", 401, w => Bare(w).GetAsync("/admin/clients")),
        new("POST", "/admin/clients", "new public client", 201, async w => await (await w.AdminBrowserAsync()).Browser.PostAsJsonAsync("/admin/clients", NewClient(w))),
        new("POST", "/admin/clients", "bad redirect URI", 400, async w => await (await w.AdminBrowserAsync()).Browser.PostAsJsonAsync("/admin/clients", new { clientId = "bad-" + w.Next().Username, clientType = "public", redirectUris = new[] { "not a uri" } })),
        new("GET", "/admin/clients/{id}", "configured client", 200, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync($"/admin/clients/{ScenarioWorld.ClientId}")),
        new("GET", "/admin/clients/{id}", "unknown", 404, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync("/admin/clients/nobody")),
        new("PUT", "/admin/clients/{id}", "update", 200, async w =>
        {
            HttpClient admin = (await w.AdminBrowserAsync()).Browser;
            object client = NewClient(w);
            string id = (await (await admin.PostAsJsonAsync("/admin/clients", client)).AssertOkJsonAsync(System.Net.HttpStatusCode.Created)).GetProperty("clientId").GetString()!;
            return await admin.PutAsJsonAsync($"/admin/clients/{id}", client);
        }),
        new("PUT", "/admin/clients/{id}", "unknown", 404, async w => await (await w.AdminBrowserAsync()).Browser.PutAsJsonAsync("/admin/clients/nobody", new { clientType = "public", redirectUris = new[] { "https://app.example/callback" } })),
        new("DELETE", "/admin/clients/{id}", "delete", 204, async w =>
        {
            HttpClient admin = (await w.AdminBrowserAsync()).Browser;
            string id = (await (await admin.PostAsJsonAsync("/admin/clients", NewClient(w))).AssertOkJsonAsync(System.Net.HttpStatusCode.Created)).GetProperty("clientId").GetString()!;
            return await admin.DeleteAsync($"/admin/clients/{id}");
        }),
        new("DELETE", "/admin/clients/{id}", "unknown", 404, async w => await (await w.AdminBrowserAsync()).Browser.DeleteAsync("/admin/clients/nobody")),
        new("POST", "/admin/clients/{id}/secret", "confidential client", 200, async w =>
        {
            // A client of its own: rotating the shared one's secret would lock the other scenarios out.
            HttpClient admin = (await w.AdminBrowserAsync()).Browser;
            string id = "job-" + w.Next().Username;
            await (await admin.PostAsJsonAsync("/admin/clients", new { clientId = id, clientType = "confidential", grantTypes = new[] { "client_credentials" } })).AssertOkJsonAsync(System.Net.HttpStatusCode.Created);
            return await admin.PostAsync($"/admin/clients/{id}/secret", null);
        }),
        new("POST", "/admin/clients/{id}/secret", "unknown", 404, async w => await (await w.AdminBrowserAsync()).Browser.PostAsync("/admin/clients/nobody/secret", null)),
        new("GET", "/admin/users/{id}/roles", "own roles", 200, async w =>
        {
            (HttpClient admin, string id) = await w.AdminBrowserAsync();
            return await admin.GetAsync($"/admin/users/{id}/roles");
        }),
        new("GET", "/admin/users/{id}/roles", "unknown user", 404, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync("/admin/users/nobody/roles")),
        new("PUT", "/admin/users/{id}/roles", "set", 200, async w =>
        {
            (HttpClient admin, string id) = await w.AdminBrowserAsync();
            return await admin.PutAsJsonAsync($"/admin/users/{id}/roles", new { roles = new[] { "admin", "support" } });
        }),
        new("PUT", "/admin/users/{id}/roles", "bad role", 400, async w =>
        {
            (HttpClient admin, string id) = await w.AdminBrowserAsync();
            return await admin.PutAsJsonAsync($"/admin/users/{id}/roles", new { roles = new[] { "not a role!" } });
        }),

        // The admin API of the admin branch: accounts, sessions, keys, audit.
        new("GET", "/admin/users", "first page", 200, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync("/admin/users?limit=5")),
        new("GET", "/admin/users", "bad limit", 400, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync("/admin/users?limit=zero")),
        new("GET", "/admin/users/{id}", "a user", 200, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync($"/admin/users/{(await w.TargetUserAsync()).UserId}")),
        new("GET", "/admin/users/{id}", "unknown", 404, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync("/admin/users/nobody")),
        new("POST", "/admin/users/{id}/lock", "until unlocked", 200, async w => await (await w.AdminBrowserAsync()).Browser.PostAsJsonAsync($"/admin/users/{(await w.TargetUserAsync()).UserId}/lock", new { until = (string?)null })),
        new("POST", "/admin/users/{id}/lock", "bad time", 400, async w => await (await w.AdminBrowserAsync()).Browser.PostAsJsonAsync($"/admin/users/{(await w.TargetUserAsync()).UserId}/lock", new { until = "tomorrow-ish" })),
        new("POST", "/admin/users/{id}/lock", "unknown", 404, async w => await (await w.AdminBrowserAsync()).Browser.PostAsJsonAsync("/admin/users/nobody/lock", new { until = (string?)null })),
        new("POST", "/admin/users/{id}/unlock", "a user", 200, async w => await (await w.AdminBrowserAsync()).Browser.PostAsync($"/admin/users/{(await w.TargetUserAsync()).UserId}/unlock", null)),
        new("POST", "/admin/users/{id}/disable", "a user", 200, async w => await (await w.AdminBrowserAsync()).Browser.PostAsync($"/admin/users/{(await w.TargetUserAsync()).UserId}/disable", null)),
        new("POST", "/admin/users/{id}/disable", "unknown", 404, async w => await (await w.AdminBrowserAsync()).Browser.PostAsync("/admin/users/nobody/disable", null)),
        new("POST", "/admin/users/{id}/enable", "a user", 200, async w => await (await w.AdminBrowserAsync()).Browser.PostAsync($"/admin/users/{(await w.TargetUserAsync()).UserId}/enable", null)),
        new("DELETE", "/admin/users/{id}", "a user", 204, async w => await (await w.AdminBrowserAsync()).Browser.DeleteAsync($"/admin/users/{(await w.TargetUserAsync()).UserId}")),
        new("DELETE", "/admin/users/{id}", "unknown", 404, async w => await (await w.AdminBrowserAsync()).Browser.DeleteAsync("/admin/users/nobody")),
        new("GET", "/admin/users/{id}/sessions", "a user", 200, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync($"/admin/users/{(await w.TargetUserAsync()).UserId}/sessions")),
        new("GET", "/admin/users/{id}/sessions", "unknown", 404, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync("/admin/users/nobody/sessions")),
        new("DELETE", "/admin/users/{id}/sessions/{sessionId}", "one session", 204, async w =>
        {
            (string user, string session) = await w.TargetUserAsync();
            return await (await w.AdminBrowserAsync()).Browser.DeleteAsync($"/admin/users/{user}/sessions/{session}");
        }),
        new("DELETE", "/admin/users/{id}/sessions/{sessionId}", "unknown session", 404, async w => await (await w.AdminBrowserAsync()).Browser.DeleteAsync($"/admin/users/{(await w.TargetUserAsync()).UserId}/sessions/nothing")),
        new("DELETE", "/admin/users/{id}/sessions", "every session", 200, async w => await (await w.AdminBrowserAsync()).Browser.DeleteAsync($"/admin/users/{(await w.TargetUserAsync()).UserId}/sessions")),
        new("GET", "/admin/keys", "the ring", 200, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync("/admin/keys")),
        new("POST", "/admin/keys/rotate", "after the publication lead", 200, async w => await (await w.AdminBrowserAsync()).Browser.PostAsJsonAsync("/admin/keys/rotate", new { })),
        new("POST", "/admin/keys/rotate", "unknown algorithm", 400, async w => await (await w.AdminBrowserAsync()).Browser.PostAsJsonAsync("/admin/keys/rotate", new { alg = "none" })),
        new("GET", "/admin/audit", "newest first", 200, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync("/admin/audit?limit=5")),
        new("GET", "/admin/audit", "bad limit", 400, async w => await (await w.AdminBrowserAsync()).Browser.GetAsync("/admin/audit?limit=zero")),

        // Self-deletion.
        new("DELETE", "/auth/me", "password re-entered", 204, async w => await (await w.SignedInBrowserAsync()).SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/auth/me") { Content = JsonContent.Create(new { password = Http.Password }) })),
        new("DELETE", "/auth/me", "no password", 400, async w => await (await w.SignedInBrowserAsync()).SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/auth/me") { Content = JsonContent.Create(new { }) })),
        new("DELETE", "/auth/me", "wrong password", 401, async w => await (await w.SignedInBrowserAsync()).SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/auth/me") { Content = JsonContent.Create(new { password = "not the password at all" }) })),

        // #16 passkeys-server: the passkey endpoints (PasskeyScenarios).
        .. PasskeyScenarios.All,
    ];

    // No cookie jar, and redirects returned rather than followed: the scenario checks the answer itself.
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

    private static object NewClient(ScenarioWorld world) => new
    {
        clientId = "app-" + world.Next().Username,
        clientType = "public",
        redirectUris = new[] { "https://app.example/callback" },
    };

    private static Task<HttpResponseMessage> CrossSite(ScenarioWorld world, HttpMethod method, string path, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        request.Headers.Add("Origin", "https://evil.example");
        return Bare(world).SendAsync(request);
    }
}
