using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Audit;
using Tessera.Server.Tests.Tokens;
using Tessera.Users;

namespace Tessera.Server.Tests.Admin;

/// <summary>An admin signed in for tokens (a first-party sign-in: <c>/auth/token</c>), and the user id behind it.</summary>
internal sealed record AdminCaller(HttpClient Client, string Token, string Id)
{
    public Task<HttpResponseMessage> GetAsync(string path) => Client.GetWithBearerAsync(path, Token);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? json = null) => Client.SendWithBearerAsync(method, path, Token, json);

    public Task<HttpResponseMessage> PostAsync(string path, object? json = null) => SendAsync(HttpMethod.Post, path, json);

    public Task<HttpResponseMessage> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);
}

/// <summary>Helpers for the admin API tests: make an admin, register users, read the audit log.</summary>
internal static class AdminApi
{
    /// <summary>Registers <paramref name="username"/>, gives it the admin role, signs it in for tokens.</summary>
    public static async Task<AdminCaller> AdminAsync(this TestServerFactory server, string username = "root", string? ip = null)
    {
        HttpClient client = server.CreateBareClient(ip);
        string id = await client.RegisterIdAsync(username);
        await server.GrantAdminAsync(id);
        return new AdminCaller(client, (await client.SignInForTokensAsync(username)).Access(), id);
    }

    /// <summary>Gives the user the admin role.</summary>
    public static async Task GrantAdminAsync(this TestServerFactory server, string userId)
    {
        Outcome<UserRecord> made = await server.Services.GetRequiredService<UserRoles>().SetAsync(userId, [TesseraRoles.Admin], CancellationToken.None);
        Assert.True(made.Succeeded);
    }

    /// <summary>Registers <paramref name="username"/>; its id.</summary>
    public static async Task<string> RegisterIdAsync(this HttpClient client, string username) =>
        (await client.RegisterAsync(username)).GetProperty("id").GetString()!;

    /// <summary>The audit log's events of <paramref name="type"/>, newest first, as the store holds them.</summary>
    public static async Task<IReadOnlyList<AuditEvent>> AuditAsync(this TestServerFactory server, string type) =>
        (await server.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery { Type = type, Limit = AuditQuery.MaxLimit }, CancellationToken.None)).Events;

    /// <summary>The admin actions audited, newest first.</summary>
    public static Task<IReadOnlyList<AuditEvent>> AdminActionsAsync(this TestServerFactory server) => server.AuditAsync(AuditEventTypes.AdminAction);

    /// <summary>Asserts a 200 admin answer and returns its JSON.</summary>
    public static Task<JsonElement> OkAsync(this Task<HttpResponseMessage> response) => Ok(response);

    private static async Task<JsonElement> Ok(Task<HttpResponseMessage> response) => await (await response).AssertOkJsonAsync();

    /// <summary>Asserts a 204.</summary>
    public static async Task AssertNoContentAsync(this Task<HttpResponseMessage> pending)
    {
        HttpResponseMessage response = await pending;
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"Expected 204 but got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
