using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Cluster.Tests.Support;

namespace Tessera.Cluster.Tests;

/// <summary>
/// Three instances sharing PostgreSQL and Redis behind round-robin nginx: a client may land on any
/// instance for any request, and nothing depends on which.
/// </summary>
[Collection(SharedStoresCollection.Name)]
public sealed class SharedStoresTests(SharedStoresCluster shared)
{
    private BalancedCluster Cluster => shared.Cluster;

    [Fact]
    public async Task EveryStepWorksWhicheverInstanceAnswers()
    {
        using ClusterClient browser = Cluster.Client();

        await browser.SignUpAndInAsync("alice");
        await browser.Http.GetAsync("/auth/me").JsonAsync();
        await browser.Http.PostAsJsonAsync("/shop/cart/items", new { productId = "tessera-bronze", quantity = 2 }).JsonAsync();
        await browser.Http.PostAsJsonAsync("/shop/cart/items", new { productId = "mosaic-kit", quantity = 1 }).JsonAsync();
        JsonElement cart = await browser.Http.GetAsync("/shop/cart").JsonAsync();
        JsonElement order = await browser.Http.PostAsync("/shop/orders", null).JsonAsync(HttpStatusCode.Created);
        JsonElement orders = await browser.Http.GetAsync("/shop/orders").JsonAsync();
        await browser.Http.PutAsJsonAsync("/auth/session/attributes/theme", new { value = "dark" }).JsonAsync();
        JsonElement theme = await browser.Http.GetAsync("/auth/session/attributes/theme").JsonAsync();

        using ClusterClient phone = Cluster.Client();
        (string access, string refresh) = await phone.TokenSignInAsync("alice");
        for (int i = 0; i < 3; i++)
        {
            (access, refresh) = await phone.RefreshAsync(refresh);
            await phone.GetWithBearerAsync("/auth/me", access).JsonAsync();
        }

        JsonElement sessions = (await browser.Http.GetAsync("/auth/sessions").JsonAsync()).GetProperty("sessions");
        string cookie = browser.Cookie(ClusterHttp.SessionCookie)!;
        await browser.Http.DeleteAsync("/auth/session").JsonAsync(HttpStatusCode.NoContent);
        await phone.GetWithBearerAsync("/auth/me", access).JsonAsync();

        Assert.Equal(2, cart.GetProperty("items").GetArrayLength());
        Assert.Equal(cart.GetProperty("totalCents").GetInt64(), order.GetProperty("totalCents").GetInt64());
        Assert.Single(orders.GetProperty("orders").EnumerateArray());
        Assert.Equal("dark", theme.GetProperty("value").GetString());
        Assert.Equal(2, sessions.GetArrayLength());
        IReadOnlyList<string> answered = [.. browser.AnsweredBy, .. phone.AnsweredBy];
        Assert.True(answered.Distinct().Count() > 1, $"Only {string.Join(", ", answered.Distinct())} answered.");
        // Signed out: refused, whichever instance is asked.
        using DirectClients direct = new(Cluster);
        foreach (ClusterClient instance in direct.Clients)
        {
            await instance.Http.SendAsync(ClusterHttp.WithSessionCookie("/auth/me", cookie)).ProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        }
    }

    [Fact]
    public async Task ASessionRevokedOnOneInstanceIsRefusedByTheOthersAtOnce()
    {
        using TwoDevices bob = await TwoDevices.SignInAsync(Cluster, "bob");
        (string cookie, string access, string refresh) = (bob.Cookie, bob.AccessToken, bob.RefreshToken);
        using DirectClients clients = new(Cluster);
        IReadOnlyList<ClusterClient> direct = clients.Clients;
        foreach (ClusterClient instance in direct)
        {
            await instance.Http.SendAsync(ClusterHttp.WithSessionCookie("/auth/me", cookie)).JsonAsync();
            await instance.GetWithBearerAsync("/auth/me", access).JsonAsync();
        }

        // The cookie session ends on the first instance, the token session on the second.
        await direct[0].Http.SendAsync(ClusterHttp.WithSessionCookie("/auth/session", cookie, HttpMethod.Delete)).JsonAsync(HttpStatusCode.NoContent);
        await direct[1].Http.PostAsync("/oauth2/revoke", new FormUrlEncodedContent([new("token", refresh)])).JsonAsync();

        foreach (ClusterClient instance in direct)
        {
            await instance.Http.SendAsync(ClusterHttp.WithSessionCookie("/auth/me", cookie)).ProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
            await instance.GetWithBearerAsync("/auth/me", access).ProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        }
    }

    [Fact]
    public async Task ATokenSignedByOneInstanceVerifiesOnAllAcrossKeyRotations()
    {
        using ClusterClient client = Cluster.Client();
        using DirectClients clients = new(Cluster);
        IReadOnlyList<ClusterClient> direct = clients.Clients;
        await client.SignUpAndInAsync("carol");
        (string first, string refresh) = await client.TokenSignInAsync("carol");
        string firstKid = ClusterHttp.KeyId(first);
        string access = first;
        var signers = new HashSet<string>();
        var deadline = DateTime.UtcNow.AddSeconds(90);

        // Keys rotate every 12 s here: refresh (each answer signed by whichever instance the
        // balancer picked) until a token carries another key and more than one instance has signed,
        // checking every token everywhere. The first token may be signed just before a rotation, so a
        // new key alone can come after a single refresh, answered by one instance.
        while (ClusterHttp.KeyId(access) == firstKid || signers.Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, signers.Count < 2
                ? "Every refresh was answered by the same instance."
                : "No token was signed with a new key within 90 s.");
            await Task.Delay(1000);
            (access, refresh) = await client.RefreshAsync(refresh);
            signers.Add(client.AnsweredBy[^1]);
            foreach (ClusterClient instance in direct)
            {
                await instance.GetWithBearerAsync("/auth/me", access).JsonAsync();
            }
        }

        foreach (ClusterClient instance in direct)
        {
            // The old key still verifies (published until its last token expires), and every
            // instance publishes both.
            await instance.GetWithBearerAsync("/auth/me", first).JsonAsync();
            JsonElement jwks = await instance.Http.GetAsync("/.well-known/jwks.json").JsonAsync();
            string?[] kids = [.. jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString())];
            Assert.Contains(firstKid, kids);
            Assert.Contains(ClusterHttp.KeyId(access), kids);
        }

        Assert.True(signers.Count > 1, "Every refresh was answered by the same instance.");
    }
}
