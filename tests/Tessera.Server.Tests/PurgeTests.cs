using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tessera.OAuth;
using Tessera.Sessions;
using Tessera.Sqlite;

namespace Tessera.Server.Tests;

public sealed class PurgeTests
{
    [Fact]
    public async Task EndedSessionsAreDeletedOnceTheRetentionHasPassed()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?>
        {
            ["Tessera:SessionPurgeInterval"] = "01:00:00",
            ["Tessera:SessionRetention"] = "01:30:00",
            ["Tessera:Sessions:IdleTimeout"] = "03:00:00",
        });
        HttpClient leaving = server.CreateBrowser();
        HttpClient staying = server.CreateBrowser();
        await leaving.RegisterAsync("alice");
        HttpResponseMessage signIn = await leaving.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });
        string cookie = Http.CookieValue(signIn.SetCookie()!);
        string handle = (await signIn.JsonAsync()).GetProperty("session").GetProperty("id").GetString()!;
        await leaving.DeleteAsync("/auth/session");
        ISessionStore store = server.Services.GetRequiredService<ISessionStore>();

        server.Time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(200);
        Assert.NotNull(await store.FindByHandleAsync(handle, CancellationToken.None));
        await (await server.CreateBareClient().SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie))).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await staying.SignInAsync("alice");

        server.Time.Advance(TimeSpan.FromHours(1));

        Assert.True(await EventuallyAsync(async () => await store.FindByHandleAsync(handle, CancellationToken.None) is null));
        await (await server.CreateBareClient().SendAsync(Http.WithCookie(HttpMethod.Get, "/auth/me", cookie))).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(HttpStatusCode.OK, (await staying.GetAsync("/auth/me")).StatusCode);
    }

    [Fact]
    public async Task ExpiredAuthorizationCodesAreDeletedOnceTheRetentionHasPassed()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?>
        {
            ["Tessera:SessionPurgeInterval"] = "01:00:00",
            ["Tessera:SessionRetention"] = "01:30:00",
        });
        IAuthorizationCodeStore codes = server.Services.GetRequiredService<IAuthorizationCodeStore>();
        Assert.IsType<SqliteAuthorizationCodeStore>(codes);
        DateTimeOffset now = server.Time.GetUtcNow();
        AuthorizationCode expiring = NewCode(expiresAt: now + TimeSpan.FromMinutes(1));
        AuthorizationCode later = NewCode(expiresAt: now + TimeSpan.FromHours(2));
        await codes.CreateAsync(expiring, CancellationToken.None);
        await codes.CreateAsync(later, CancellationToken.None);

        server.Time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(200);
        Assert.NotNull(await codes.TryRedeemAsync(expiring.CodeHash, now, "session-1", CancellationToken.None));

        server.Time.Advance(TimeSpan.FromHours(1));

        Assert.True(await EventuallyAsync(async () => await codes.TryRedeemAsync(expiring.CodeHash, now, "session-2", CancellationToken.None) is null));
        Assert.NotNull(await codes.TryRedeemAsync(later.CodeHash, now, "session-3", CancellationToken.None));
    }

    private static AuthorizationCode NewCode(DateTimeOffset expiresAt) => new()
    {
        CodeHash = SessionSecret.Generate().Hash,
        ClientId = "photo-app",
        UserId = "user-1",
        RedirectUri = "https://photos.example/callback",
        Scope = "openid",
        CodeChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        AuthenticatedAt = expiresAt - TimeSpan.FromMinutes(2),
        CreatedAt = expiresAt - TimeSpan.FromMinutes(1),
        ExpiresAt = expiresAt,
    };

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
