using Microsoft.Data.Sqlite;
using Tessera.Stores;

namespace Tessera.Sqlite.Tests;

public class SqliteDatabaseTests
{
    [Fact]
    public async Task MigrationCreatesOneFileInWalModeAtTheLatestVersion()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync();

        Assert.True(File.Exists(temporary.Database.Path));
        Assert.Equal("wal", await ScalarAsync(temporary.Database, "PRAGMA journal_mode;"));
        Assert.Equal(TesseraSqliteSchema.Migrations.Count, await temporary.Database.SchemaVersionAsync(TesseraSqliteSchema.Module, CancellationToken.None));
    }

    [Fact]
    public async Task MigratingTwiceChangesNothing()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync();

        await temporary.Database.MigrateAsync(TesseraSqliteSchema.Migrations, CancellationToken.None);

        Assert.Equal((long)TesseraSqliteSchema.Migrations.Count, await ScalarAsync(temporary.Database, "SELECT COUNT(*) FROM schema_migrations;"));
    }

    [Fact]
    public async Task LaterMigrationsOfAModuleApplyOnTopOfEarlierOnes()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync();
        SqliteMigration[] shop =
        [
            new("shop", 1, "products", "CREATE TABLE products (id TEXT PRIMARY KEY);"),
        ];
        await temporary.Database.MigrateAsync(shop, CancellationToken.None);

        await temporary.Database.MigrateAsync([.. shop, new("shop", 2, "prices", "ALTER TABLE products ADD COLUMN price INTEGER;")], CancellationToken.None);

        Assert.Equal(2, await temporary.Database.SchemaVersionAsync("shop", CancellationToken.None));
        Assert.Equal(0L, await ScalarAsync(temporary.Database, "SELECT COUNT(price) FROM products;"));
    }

    [Fact]
    public async Task ASessionWrittenBeforeTokenModeReadsBackAsACookieSessionAfterTheUpgrade()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(migrate: false);
        await temporary.Database.MigrateAsync([TesseraSqliteSchema.Migrations[0]], CancellationToken.None);
        await ScalarAsync(temporary.Database, """
            INSERT INTO sessions (handle, secret_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, format)
            VALUES ('old-session', x'00112233', 'user-1', 1000, 1000, 2000, 3000, 1);
            """);

        await temporary.Database.MigrateAsync(TesseraSqliteSchema.Migrations, CancellationToken.None);

        Tessera.Sessions.SessionRecord? session = await new SqliteSessionStore(temporary.Database).FindByHandleAsync("old-session", CancellationToken.None);
        Assert.Equal(Tessera.Sessions.SessionKinds.Cookie, session?.Kind);
        Assert.Null(session?.PreviousSecretHash);
        Assert.Equal(Tessera.Sessions.SessionRecord.CurrentFormatVersion, session?.FormatVersion);
    }

    [Fact]
    public async Task RowsWrittenBeforeTheOAuthProviderReadBackAsFirstPartySessionsAndUsersWithoutRoles()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(migrate: false);
        await temporary.Database.MigrateAsync(TesseraSqliteSchema.Migrations.Take(TesseraSqliteSchema.OAuthProviderVersion - 1), CancellationToken.None);
        await ScalarAsync(temporary.Database, """
            INSERT INTO sessions (handle, secret_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, format, kind, previous_secret_hash, secret_rotated_at)
            VALUES ('old-token-session', x'00112233', 'user-1', 1000, 1500, 2000, 3000, 2, 'token', x'44556677', 1500);
            INSERT INTO users (id, username, normalized_username, password_hash, created_at, failed_sign_ins, locked_until, format)
            VALUES ('user-1', 'Alice', 'alice', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 1000, 2, NULL, 1);
            """);

        await temporary.Database.MigrateAsync(TesseraSqliteSchema.Migrations, CancellationToken.None);

        Tessera.Sessions.SessionRecord session = (await new SqliteSessionStore(temporary.Database).FindByHandleAsync("old-token-session", CancellationToken.None))!;
        Assert.Equal(Tessera.Sessions.SessionKinds.Token, session.Kind);
        Assert.Equal(new byte[] { 0x44, 0x55, 0x66, 0x77 }, session.PreviousSecretHash?.ToArray());
        Assert.Null(session.ClientId);
        Assert.Null(session.Scope);
        Assert.Null(session.AuthenticatedAt);
        Assert.Equal(Tessera.Sessions.SessionRecord.CurrentFormatVersion, session.FormatVersion);

        var users = new SqliteUserStore(temporary.Database);
        Tessera.Users.UserRecord user = (await users.FindByNormalizedUsernameAsync("alice", CancellationToken.None))!;
        Assert.Empty(user.Roles);
        Assert.Equal(2, user.FailedSignInCount);
        Assert.True(await users.SetRolesAsync("user-1", ["admin"], CancellationToken.None));
        Assert.Equal(["admin"], (await users.FindByIdAsync("user-1", CancellationToken.None))!.Roles);
        Assert.Empty(await new SqliteClientStore(temporary.Database).ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SessionsWrittenBeforeGenerationsReadBackAtGenerationZeroAndTheirRetiredHashesAreGone()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(migrate: false);
        await temporary.Database.MigrateAsync(TesseraSqliteSchema.Migrations.Take(TesseraSqliteSchema.RefreshGenerationsVersion - 1), CancellationToken.None);
        await ScalarAsync(temporary.Database, """
            INSERT INTO sessions (handle, secret_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, format, kind, previous_secret_hash, secret_rotated_at)
            VALUES ('old-token-session', x'00112233', 'user-1', 1000, 1500, 2000, 3000, 2, 'token', x'44556677', 1500);
            INSERT INTO session_retired_secrets (secret_hash, handle) VALUES (x'44556677', 'old-token-session'), (x'8899aabb', 'old-token-session');
            """);

        await temporary.Database.MigrateAsync(TesseraSqliteSchema.Migrations, CancellationToken.None);

        var store = new SqliteSessionStore(temporary.Database);
        Tessera.Sessions.SessionRecord session = (await store.FindByHandleAsync("old-token-session", CancellationToken.None))!;
        Assert.Equal(0, session.Generation);
        Assert.Null(session.RotatedBy);
        Assert.Equal(new byte[] { 0x44, 0x55, 0x66, 0x77 }, session.PreviousSecretHash?.ToArray());
        Assert.Equal(0L, await ScalarAsync(temporary.Database, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'session_retired_secrets';"));
        Assert.True(await store.TryRotateSecretAsync("old-token-session", new byte[] { 0x00, 0x11, 0x22, 0x33 }, new byte[] { 0x01 }, DateTimeOffset.FromUnixTimeMilliseconds(1600), DateTimeOffset.FromUnixTimeMilliseconds(2000), new byte[] { 0x0A }, CancellationToken.None));
        Assert.Equal(1, (await store.FindByHandleAsync("old-token-session", CancellationToken.None))!.Generation);
    }

    [Fact]
    public async Task UsersWrittenBeforeTheAuditVersionReadBackEnabledAndTheAuditLogStartsEmpty()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(migrate: false);
        await temporary.Database.MigrateAsync(TesseraSqliteSchema.Migrations.Take(TesseraSqliteSchema.AuditVersion - 1), CancellationToken.None);
        await ScalarAsync(temporary.Database, """
            INSERT INTO users (id, username, normalized_username, password_hash, created_at, failed_sign_ins, locked_until, format, roles)
            VALUES ('user-1', 'Alice', 'alice', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 1000, 0, 5000, 1, '["admin"]'),
                   ('user-2', 'Bob', 'bob', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 2000, 0, NULL, 1, '[]');
            """);

        await temporary.Database.MigrateAsync(TesseraSqliteSchema.Migrations, CancellationToken.None);

        var users = new SqliteUserStore(temporary.Database);
        Tessera.Users.UserPage page = await users.ListAsync(new Tessera.Users.UserQuery(), CancellationToken.None);
        Assert.Equal(["alice", "bob"], page.Users.Select(user => user.NormalizedUsername));
        Assert.All(page.Users, user => Assert.Null(user.DisabledAt));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(5000), page.Users[0].LockedUntil);
        Assert.Equal(["admin"], page.Users[0].Roles);
        Assert.True(await users.SetDisabledAsync("user-2", DateTimeOffset.FromUnixTimeMilliseconds(3000), CancellationToken.None));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(3000), (await users.FindByIdAsync("user-2", CancellationToken.None))!.DisabledAt);
        Assert.True(await users.DeleteAsync("user-1", CancellationToken.None));

        var log = new SqliteAuditLog(temporary.Database);
        Assert.Empty((await log.QueryAsync(new Tessera.Audit.AuditQuery(), CancellationToken.None)).Events);
        Tessera.Audit.AuditEvent appended = await log.AppendAsync(new Tessera.Audit.AuditEvent { At = DateTimeOffset.FromUnixTimeMilliseconds(4000), Type = Tessera.Audit.AuditEventTypes.AccountDeleted, UserId = "user-1", ActorId = "cli" }, CancellationToken.None);
        Assert.Equal(appended, Assert.Single((await log.QueryAsync(new Tessera.Audit.AuditQuery { UserId = "user-1" }, CancellationToken.None)).Events));
    }

    [Fact]
    public async Task RowsWrittenBeforePasskeysReadBackAsPasswordSignInsUnboundAndTheirAccountsDeleteWithTheirPasskeys()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(migrate: false);
        await temporary.Database.MigrateAsync(TesseraSqliteSchema.Migrations.Take(TesseraSqliteSchema.PasskeysVersion - 1), CancellationToken.None);
        await ScalarAsync(temporary.Database, """
            INSERT INTO sessions (handle, secret_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, format, kind, previous_secret_hash, secret_rotated_at, client_id, scope, authenticated_at, generation, rotated_by)
            VALUES ('old-token-session', x'00112233', 'user-1', 1000, 1500, 2000000, 3000000, 2, 'token', x'44556677', 1500, 'photo-app', 'openid', 900, 4, x'0a');
            INSERT INTO oauth_authorization_codes (code_hash, client_id, user_id, redirect_uri, scope, code_challenge, nonce, authenticated_at, browser_session_handle, created_at, expires_at, redeemed_at, issued_session_handle, format)
            VALUES (x'c0de', 'photo-app', 'user-1', 'https://photos.example/cb', 'openid', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', NULL, 900, NULL, 1000, 61000, NULL, NULL, 1);
            INSERT INTO oauth_clients (client_id, display_name, client_type, token_endpoint_auth_method, secret_hashes, jwks, redirect_uris, post_logout_redirect_uris, grant_types, scopes, cors_origins, require_consent, id_token_signed_response_alg, created_at, format)
            VALUES ('photo-app', 'Photos', 'public', 'none', '[]', NULL, '["https://photos.example/cb"]', '[]', '["authorization_code"]', '["openid"]', '[]', 1, 'RS256', 1000, 1);
            INSERT INTO users (id, username, normalized_username, password_hash, created_at, failed_sign_ins, locked_until, format, roles, disabled_at)
            VALUES ('user-1', 'Alice', 'alice', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 1000, 0, NULL, 1, '[]', NULL);
            """);

        await temporary.Database.MigrateAsync(TesseraSqliteSchema.Migrations, CancellationToken.None);

        var sessions = new SqliteSessionStore(temporary.Database);
        Tessera.Sessions.SessionRecord session = (await sessions.FindByHandleAsync("old-token-session", CancellationToken.None))!;
        Assert.Null(session.AuthenticationMethods);
        Assert.Null(session.KeyThumbprint);
        Assert.Equal(4, session.Generation);
        Assert.Equal("photo-app", session.ClientId);
        Assert.True(await sessions.TryRotateSecretAsync("old-token-session", new byte[] { 0x00, 0x11, 0x22, 0x33 }, new byte[] { 0x01 }, DateTimeOffset.FromUnixTimeMilliseconds(1600), DateTimeOffset.FromUnixTimeMilliseconds(2000), null, CancellationToken.None));
        Assert.Null((await sessions.FindByHandleAsync("old-token-session", CancellationToken.None))!.KeyThumbprint);

        Tessera.OAuth.AuthorizationCode code = (await new SqliteAuthorizationCodeStore(temporary.Database).TryRedeemAsync(new byte[] { 0xc0, 0xde }, DateTimeOffset.FromUnixTimeMilliseconds(2000), "session-2", CancellationToken.None))!;
        Assert.Null(code.DpopKeyThumbprint);
        Assert.Equal("photo-app", code.ClientId);
        var clients = new SqliteClientStore(temporary.Database);
        Tessera.OAuth.OAuthClient client = (await clients.FindAsync("photo-app", CancellationToken.None))!;
        Assert.False(client.RequireDpopBoundAccessTokens);
        Assert.True(await clients.UpdateAsync(client with { RequireDpopBoundAccessTokens = true }, CancellationToken.None));
        Assert.True((await clients.FindAsync("photo-app", CancellationToken.None))!.RequireDpopBoundAccessTokens);

        var passkeys = new SqlitePasskeyStore(temporary.Database);
        Assert.Empty(await passkeys.ListAsync("user-1", CancellationToken.None));
        Assert.True(await passkeys.AddAsync(new Tessera.Passkeys.PasskeyCredential
        {
            CredentialId = "AAEC", UserId = "user-1", PublicKey = new byte[] { 1, 2, 3 }, SignCount = 0, BackupEligible = true, BackedUp = true,
            Name = "Phone", CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(3000),
        }, CancellationToken.None));
        Assert.True(await new SqliteUserStore(temporary.Database).DeleteAsync("user-1", CancellationToken.None));
        Assert.Null(await passkeys.FindAsync("AAEC", CancellationToken.None));
    }

    [Fact]
    public async Task DatabaseFromANewerVersionIsRefused()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync();
        await temporary.Database.MigrateAsync([new("shop", 1, "a", "SELECT 1;"), new("shop", 2, "b", "SELECT 1;")], CancellationToken.None);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await temporary.Database.MigrateAsync([new("shop", 1, "a", "SELECT 1;")], CancellationToken.None));

        Assert.Contains("newer", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedMigrationLeavesTheVersionUnchanged()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync();

        await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
            await temporary.Database.MigrateAsync([new("shop", 1, "ok", "CREATE TABLE t (x);"), new("shop", 2, "broken", "THIS IS NOT SQL;")], CancellationToken.None));

        Assert.Equal(0, await temporary.Database.SchemaVersionAsync("shop", CancellationToken.None));
    }

    [Fact]
    public async Task UnreadableFileMakesTheStoreUnavailable()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(migrate: false);
        Directory.CreateDirectory(temporary.Folder);
        await File.WriteAllTextAsync(temporary.Database.Path, new string('x', 4096));
        var users = new SqliteUserStore(temporary.Database);

        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await users.FindByNormalizedUsernameAsync("alice", CancellationToken.None));
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await new SqliteHealthProbe(temporary.Database).ProbeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task HealthProbeAnswersOnAMigratedDatabase()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync();

        await new SqliteHealthProbe(temporary.Database).ProbeAsync(CancellationToken.None);
    }

    private static async Task<object?> ScalarAsync(SqliteDatabase database, string sql)
    {
        await using SqliteConnection connection = await database.OpenAsync(CancellationToken.None);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
