using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Http;
using Tessera.OAuth;

namespace Tessera.AspNetCore.Tests.Admin;

/// <summary>The admin API: who may call it, each endpoint, bad input as problem+json, and the audit trail.</summary>
public sealed class AdminApiTests : IAsyncLifetime
{
    private static readonly object WebClient = new
    {
        clientId = "web",
        clientType = "confidential",
        redirectUris = new[] { "https://web.example.org/signin-oidc" },
        corsOrigins = new[] { "https://web.example.org" },
    };

    private AdminHost _host = null!;
    private string _adminId = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await AdminHost.StartAsync();
        _adminId = await _host.RegisterAsync("root", "admin");
        _admin = await _host.BearerAsync("root");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task WithoutCredentialsEveryEndpointIs401ProblemJson()
    {
        foreach ((HttpMethod method, string path) in Endpoints())
        {
            await AdminHost.ProblemAsync(await _host.SendAsync(method, path, null, method == HttpMethod.Get || method == HttpMethod.Delete ? null : "{}"), HttpStatusCode.Unauthorized, TesseraErrorCodes.Unauthenticated);
        }
    }

    [Fact]
    public async Task AUserWithoutTheAdminRoleIs403OnEveryEndpointAndChangesNothing()
    {
        await _host.RegisterAsync("mallory", "billing");
        string mallory = await _host.BearerAsync("mallory");

        foreach ((HttpMethod method, string path) in Endpoints())
        {
            await AdminHost.ProblemAsync(await _host.SendAsync(method, path, mallory, method == HttpMethod.Get || method == HttpMethod.Delete ? null : WebClient), HttpStatusCode.Forbidden, TesseraErrorCodes.AdminRequired);
        }

        Assert.Empty(await _host.Services.GetRequiredService<IClientStore>().ListAsync(default));
        Assert.Contains(_host.Log.Entries, e => e.EventId == 7202 && e.Message.Contains("not an admin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAdminSignedInWithTheSessionCookieMayCallIt()
    {
        string cookie = await _host.CookieAsync("root");

        await AdminHost.JsonAsync(await _host.SendAsync(HttpMethod.Get, "/admin/clients", cookie), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ASessionGrantedToAnOAuthClientIsNotAnAdminEvenForAnAdminUser()
    {
        string granted = await _host.ClientGrantedCookieAsync(_adminId, "some-app");

        await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Get, "/admin/clients", granted), HttpStatusCode.Forbidden, TesseraErrorCodes.AdminRequired);
    }

    [Fact]
    public async Task RemovingTheAdminRoleTakesEffectOnTheNextCall()
    {
        string bobId = await _host.RegisterAsync("bob", "admin");
        string bob = await _host.BearerAsync("bob");
        await AdminHost.JsonAsync(await _host.SendAsync(HttpMethod.Get, "/admin/clients", bob), HttpStatusCode.OK);

        await AdminHost.JsonAsync(await _host.SendAsync(HttpMethod.Put, $"/admin/users/{bobId}/roles", _admin, new { roles = Array.Empty<string>() }), HttpStatusCode.OK);

        await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Get, "/admin/clients", bob), HttpStatusCode.Forbidden, TesseraErrorCodes.AdminRequired);
    }

    [Fact]
    public async Task ACrossSiteChangeIsRefusedByTheCsrfCheck()
    {
        string cookie = await _host.CookieAsync("root");

        await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Post, "/admin/clients", cookie, WebClient, origin: "https://evil.example"), HttpStatusCode.Forbidden, TesseraErrorCodes.CsrfRejected);
        Assert.Empty(await _host.Services.GetRequiredService<IClientStore>().ListAsync(default));
    }

    [Fact]
    public async Task RegisteringAClientAnswers201WithTheSecretOnceAndStoresOnlyItsHash()
    {
        HttpResponseMessage response = await _host.SendAsync(HttpMethod.Post, "/admin/clients", _admin, WebClient);

        JsonElement created = await AdminHost.JsonAsync(response, HttpStatusCode.Created);
        string secret = created.GetProperty("clientSecret").GetString()!;
        Assert.Equal("/admin/clients/web", response.Headers.Location?.OriginalString);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("client_secret_basic", created.GetProperty("tokenEndpointAuthMethod").GetString());
        Assert.Equal(1, created.GetProperty("secretCount").GetInt32());
        OAuthClient stored = (await _host.Services.GetRequiredService<IClientStore>().FindAsync("web", default))!;
        Assert.True(ClientSecrets.Matches(secret, stored.SecretHashes));

        JsonElement read = await AdminHost.JsonAsync(await _host.SendAsync(HttpMethod.Get, "/admin/clients/web", _admin), HttpStatusCode.OK);
        JsonElement listed = await AdminHost.JsonAsync(await _host.SendAsync(HttpMethod.Get, "/admin/clients", _admin), HttpStatusCode.OK);
        Assert.False(read.TryGetProperty("clientSecret", out _));
        Assert.Equal(["https://web.example.org/signin-oidc"], read.GetProperty("redirectUris").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("web", Assert.Single(listed.EnumerateArray()).GetProperty("clientId").GetString());
        Assert.DoesNotContain(secret, listed.GetRawText(), StringComparison.Ordinal);
        Assert.All(_host.Log.Entries, e => Assert.DoesNotContain(secret, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task APrivateKeyJwtClientRegistersItsPublicJwks()
    {
        JsonElement publicKey = JsonDocument.Parse(Jose.Keys.Jwk.Generate("ES256", "k1").ToPublicJwk().ToJson()).RootElement;
        var request = new { clientId = "svc", clientType = "confidential", tokenEndpointAuthMethod = "private_key_jwt", grantTypes = new[] { "client_credentials" }, jwks = new { keys = new[] { publicKey } }, scopes = new[] { "api.read" } };

        JsonElement created = await AdminHost.JsonAsync(await _host.SendAsync(HttpMethod.Post, "/admin/clients", _admin, request), HttpStatusCode.Created);

        Assert.False(created.TryGetProperty("clientSecret", out _));
        Assert.Equal("k1", created.GetProperty("jwks").GetProperty("keys")[0].GetProperty("kid").GetString());
    }

    [Fact]
    public async Task PutReplacesTheSettingsAndKeepsTheSecret()
    {
        string secret = (await AdminHost.JsonAsync(await _host.SendAsync(HttpMethod.Post, "/admin/clients", _admin, WebClient), HttpStatusCode.Created)).GetProperty("clientSecret").GetString()!;

        JsonElement updated = await AdminHost.JsonAsync(await _host.SendAsync(HttpMethod.Put, "/admin/clients/web", _admin,
            new { clientType = "confidential", displayName = "Web shop", redirectUris = new[] { "https://shop.example.org/cb" } }), HttpStatusCode.OK);

        Assert.Equal("Web shop", updated.GetProperty("displayName").GetString());
        Assert.Empty(updated.GetProperty("corsOrigins").EnumerateArray());
        Assert.False(updated.TryGetProperty("clientSecret", out _));
        Assert.True(ClientSecrets.Matches(secret, (await _host.Services.GetRequiredService<IClientStore>().FindAsync("web", default))!.SecretHashes));
    }

    [Fact]
    public async Task PutCannotRenameOrCreate()
    {
        await _host.SendAsync(HttpMethod.Post, "/admin/clients", _admin, WebClient);

        JsonElement renamed = await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Put, "/admin/clients/web", _admin, new { clientId = "other", clientType = "public", redirectUris = new[] { "https://a.example/cb" } }), HttpStatusCode.BadRequest, TesseraErrorCodes.ClientIdInvalid);
        await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Put, "/admin/clients/nobody", _admin, new { clientType = "public", redirectUris = new[] { "https://a.example/cb" } }), HttpStatusCode.NotFound, TesseraErrorCodes.ClientNotFound);
        Assert.True(renamed.GetProperty("errors").TryGetProperty("clientId", out _));
    }

    [Fact]
    public async Task RotatingTheSecretReplacesItOrKeepsThePrevious()
    {
        string first = (await AdminHost.JsonAsync(await _host.SendAsync(HttpMethod.Post, "/admin/clients", _admin, WebClient), HttpStatusCode.Created)).GetProperty("clientSecret").GetString()!;

        JsonElement kept = await AdminHost.JsonAsync(await _host.SendAsync(HttpMethod.Post, "/admin/clients/web/secret", _admin, new { keepPrevious = true }), HttpStatusCode.OK);
        JsonElement replaced = await AdminHost.JsonAsync(await _host.SendAsync(HttpMethod.Post, "/admin/clients/web/secret", _admin, null), HttpStatusCode.OK);

        Assert.Equal(2, kept.GetProperty("secretCount").GetInt32());
        Assert.Equal(1, replaced.GetProperty("secretCount").GetInt32());
        IReadOnlyList<ReadOnlyMemory<byte>> hashes = (await _host.Services.GetRequiredService<IClientStore>().FindAsync("web", default))!.SecretHashes;
        Assert.True(ClientSecrets.Matches(replaced.GetProperty("clientSecret").GetString(), hashes));
        Assert.False(ClientSecrets.Matches(first, hashes));
    }

    [Fact]
    public async Task RotatingAPublicClientIs409AndAnUnknownOne404()
    {
        await _host.SendAsync(HttpMethod.Post, "/admin/clients", _admin, new { clientId = "spa", clientType = "public", redirectUris = new[] { "http://127.0.0.1:5173/cb" } });

        await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Post, "/admin/clients/spa/secret", _admin, null), HttpStatusCode.Conflict, TesseraErrorCodes.ClientSecretNotUsed);
        await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Post, "/admin/clients/nobody/secret", _admin, null), HttpStatusCode.NotFound, TesseraErrorCodes.ClientNotFound);
    }

    [Fact]
    public async Task DeleteRemovesTheClient()
    {
        await _host.SendAsync(HttpMethod.Post, "/admin/clients", _admin, WebClient);

        Assert.Equal(HttpStatusCode.NoContent, (await _host.SendAsync(HttpMethod.Delete, "/admin/clients/web", _admin)).StatusCode);
        await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Delete, "/admin/clients/web", _admin), HttpStatusCode.NotFound, TesseraErrorCodes.ClientNotFound);
        await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Get, "/admin/clients/web", _admin), HttpStatusCode.NotFound, TesseraErrorCodes.ClientNotFound);
    }

    [Fact]
    public async Task ATakenIdIs409()
    {
        await _host.SendAsync(HttpMethod.Post, "/admin/clients", _admin, WebClient);

        await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Post, "/admin/clients", _admin, WebClient), HttpStatusCode.Conflict, TesseraErrorCodes.ClientIdTaken);
    }

    [Theory]
    [InlineData("""{"clientId":"has space","clientType":"public","redirectUris":["https://a.example/cb"]}""", "clientId", TesseraErrorCodes.ClientIdInvalid)]
    [InlineData("""{"clientId":"a","displayName":"\t","clientType":"public","redirectUris":["https://a.example/cb"]}""", "displayName", TesseraErrorCodes.ClientNameInvalid)]
    [InlineData("""{"clientId":"a","clientType":"trusted","redirectUris":["https://a.example/cb"]}""", "clientType", TesseraErrorCodes.ClientTypeInvalid)]
    [InlineData("""{"clientId":"a","clientType":"public","tokenEndpointAuthMethod":"client_secret_post","redirectUris":["https://a.example/cb"]}""", "tokenEndpointAuthMethod", TesseraErrorCodes.ClientAuthMethodInvalid)]
    [InlineData("""{"clientId":"a","clientType":"confidential","tokenEndpointAuthMethod":"private_key_jwt","jwks":{"keys":[]},"redirectUris":["https://a.example/cb"]}""", "jwks", TesseraErrorCodes.ClientJwksInvalid)]
    [InlineData("""{"clientId":"a","clientType":"confidential","tokenEndpointAuthMethod":"private_key_jwt","jwks":"not a set","redirectUris":["https://a.example/cb"]}""", "jwks", TesseraErrorCodes.ClientJwksInvalid)]
    [InlineData("""{"clientId":"a","clientType":"public","redirectUris":["https://a.example/cb#frag"]}""", "redirectUris", TesseraErrorCodes.ClientRedirectUriInvalid)]
    [InlineData("""{"clientId":"a","clientType":"public","redirectUris":["http://a.example/cb"]}""", "redirectUris", TesseraErrorCodes.ClientRedirectUriInvalid)]
    [InlineData("""{"clientId":"a","clientType":"public","redirectUris":["https://a.example/cb"],"postLogoutRedirectUris":["javascript:alert(1)"]}""", "postLogoutRedirectUris", TesseraErrorCodes.ClientPostLogoutUriInvalid)]
    [InlineData("""{"clientId":"a","clientType":"public","redirectUris":["https://a.example/cb"],"corsOrigins":["https://a.example/"]}""", "corsOrigins", TesseraErrorCodes.ClientCorsOriginInvalid)]
    [InlineData("""{"clientId":"a","clientType":"public","redirectUris":["https://a.example/cb"],"grantTypes":["authorization_code","client_credentials"]}""", "grantTypes", TesseraErrorCodes.ClientGrantTypesInvalid)]
    [InlineData("""{"clientId":"a","clientType":"public","redirectUris":["https://a.example/cb"],"grantTypes":["implicit"]}""", "grantTypes", TesseraErrorCodes.ClientGrantTypesInvalid)]
    [InlineData("""{"clientId":"a","clientType":"public","redirectUris":["https://a.example/cb"],"scopes":["openid profile"]}""", "scopes", TesseraErrorCodes.ClientScopeInvalid)]
    [InlineData("""{"clientId":"a","clientType":"public","redirectUris":["https://a.example/cb"],"idTokenSignedResponseAlg":"HS256"}""", "idTokenSignedResponseAlg", TesseraErrorCodes.ClientIdTokenAlgInvalid)]
    public async Task EachInvalidFieldIs400WithItsCode(string body, string field, string code)
    {
        JsonElement problem = await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Post, "/admin/clients", _admin, body), HttpStatusCode.BadRequest, code);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Equal(code, problem.GetProperty("codes").GetProperty(field).GetString());
        Assert.Empty(await _host.Services.GetRequiredService<IClientStore>().ListAsync(default));
    }

    [Theory]
    [InlineData("POST", "/admin/clients")]
    [InlineData("PUT", "/admin/clients/web")]
    public async Task AJwksHoldingInvalidUtf8Is400NotA500(string method, string path)
    {
        // Found by the json-bodies fuzz target (fuzz/regressions/json-bodies): System.Text.Json keeps a
        // JsonElement's raw bytes unchecked, and reading them back as text threw past the endpoint.
        byte[] body = [.. """{"clientId":"web","clientType":"confidential","tokenEndpointAuthMethod":"private_key_jwt","jwks":{"keys":[{"kty":"EC","crv":"P-256","""u8,
            0x22, 0x95, 0x22, .. """:"x"}]}}"""u8];
        if (method == "PUT")
        {
            Assert.Equal(HttpStatusCode.Created, (await _host.SendAsync(HttpMethod.Post, "/admin/clients", _admin, WebClient)).StatusCode);
        }

        JsonElement problem = await AdminHost.ProblemAsync(await _host.SendAsync(new HttpMethod(method), path, _admin, body), HttpStatusCode.BadRequest, TesseraErrorCodes.ClientJwksInvalid);
        Assert.Equal(TesseraErrorCodes.ClientJwksInvalid, problem.GetProperty("codes").GetProperty("jwks").GetString());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("""{"clientId":5}""")]
    [InlineData("""{"redirectUris":"https://a.example/cb"}""")]
    public async Task AnUnreadableBodyIs400ProblemJson(string body)
    {
        await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Post, "/admin/clients", _admin, body), HttpStatusCode.BadRequest, HttpErrorCodes.MalformedRequest);
    }

    [Fact]
    public async Task AMissingBodyIs400ProblemJson()
    {
        await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Post, "/admin/clients", _admin), HttpStatusCode.BadRequest, HttpErrorCodes.MalformedRequest);
        await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Put, $"/admin/users/{_adminId}/roles", _admin, "{}"), HttpStatusCode.BadRequest, HttpErrorCodes.MalformedRequest);
    }

    [Fact]
    public async Task RolesAreReadAndReplaced()
    {
        string aliceId = await _host.RegisterAsync("alice");

        JsonElement before = await AdminHost.JsonAsync(await _host.SendAsync(HttpMethod.Get, $"/admin/users/{aliceId}/roles", _admin), HttpStatusCode.OK);
        JsonElement after = await AdminHost.JsonAsync(await _host.SendAsync(HttpMethod.Put, $"/admin/users/{aliceId}/roles", _admin, new { roles = new[] { "editor", "billing", "editor" } }), HttpStatusCode.OK);

        Assert.Equal("alice", before.GetProperty("username").GetString());
        Assert.Empty(before.GetProperty("roles").EnumerateArray());
        Assert.Equal(["editor", "billing"], after.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["editor", "billing"], (await _host.Services.GetRequiredService<Users.IUserStore>().FindByIdAsync(aliceId, default))!.Roles);
    }

    [Fact]
    public async Task AnInvalidRoleIs400AndAnUnknownUser404()
    {
        string aliceId = await _host.RegisterAsync("alice");

        JsonElement problem = await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Put, $"/admin/users/{aliceId}/roles", _admin, new { roles = new[] { "has space" } }), HttpStatusCode.BadRequest, TesseraErrorCodes.RoleInvalid);
        await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Put, "/admin/users/nobody/roles", _admin, new { roles = new[] { "a" } }), HttpStatusCode.NotFound, TesseraErrorCodes.UserNotFound);
        await AdminHost.ProblemAsync(await _host.SendAsync(HttpMethod.Get, "/admin/users/nobody/roles", _admin), HttpStatusCode.NotFound, TesseraErrorCodes.UserNotFound);
        Assert.True(problem.GetProperty("errors").TryGetProperty("roles", out _));
    }

    [Fact]
    public async Task EveryCallIsAuditedWithTheAdminTheActionAndTheTarget()
    {
        string aliceId = await _host.RegisterAsync("alice");

        await _host.SendAsync(HttpMethod.Post, "/admin/clients", _admin, WebClient);
        await _host.SendAsync(HttpMethod.Post, "/admin/clients/web/secret", _admin, null);
        await _host.SendAsync(HttpMethod.Delete, "/admin/clients/nobody", _admin);
        await _host.SendAsync(HttpMethod.Put, $"/admin/users/{aliceId}/roles", _admin, new { roles = new[] { "editor" } });

        string[] audit = [.. _host.Log.Entries.Where(e => e.EventId == 7201).Select(e => e.Message)];
        Assert.Equal(
            [$"Admin audit: {_adminId} client.create web -> 201", $"Admin audit: {_adminId} client.rotate_secret web -> 200", $"Admin audit: {_adminId} client.delete nobody -> 404", $"Admin audit: {_adminId} user.roles.set {aliceId} -> 200"],
            audit);
    }

    private static (HttpMethod, string)[] Endpoints() =>
    [
        (HttpMethod.Get, "/admin/clients"),
        (HttpMethod.Post, "/admin/clients"),
        (HttpMethod.Get, "/admin/clients/web"),
        (HttpMethod.Put, "/admin/clients/web"),
        (HttpMethod.Delete, "/admin/clients/web"),
        (HttpMethod.Post, "/admin/clients/web/secret"),
        (HttpMethod.Get, "/admin/users/someone/roles"),
        (HttpMethod.Put, "/admin/users/someone/roles"),
    ];
}
