using System.Diagnostics;
using Npgsql;
using Tessera.Stores;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests;

public sealed class PostgresDatabaseTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task MigrationAppliesEveryStepOnce()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server);

        await temporary.Database.MigrateAsync(TesseraPostgresSchema.Migrations, None);

        Assert.Equal(TesseraPostgresSchema.Migrations.Count, await temporary.Database.SchemaVersionAsync(TesseraPostgresSchema.Module, None));
        Assert.Equal((long)TesseraPostgresSchema.Migrations.Count, await ScalarAsync(temporary.Database, "SELECT COUNT(*) FROM schema_migrations;"));
    }

    [Fact]
    public async Task InstancesStartingAtOnceMigrateExactlyOnce()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server, migrate: false);
        // A step that fails when run twice: the advisory lock must make the instances take turns.
        PostgresMigration[] steps = [.. TesseraPostgresSchema.Migrations, new("app", 1, "counter", "CREATE TABLE app_counter (n integer); INSERT INTO app_counter VALUES (1);")];
        PostgresDatabase[] instances = [.. Enumerable.Range(0, 6).Select(_ => temporary.Open())];

        await Task.WhenAll(instances.Select(instance => Task.Run(async () => await instance.MigrateAsync(steps, None))));

        Assert.Equal(1L, await ScalarAsync(temporary.Database, "SELECT COUNT(*) FROM app_counter;"));
        Assert.Equal((long)steps.Length, await ScalarAsync(temporary.Database, "SELECT COUNT(*) FROM schema_migrations;"));
    }

    [Fact]
    public async Task LaterMigrationsOfAModuleApplyOnTopOfEarlierOnes()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server);
        PostgresMigration[] shop = [new("shop", 1, "products", "CREATE TABLE products (id text PRIMARY KEY);")];
        await temporary.Database.MigrateAsync(shop, None);

        await temporary.Database.MigrateAsync([.. shop, new("shop", 2, "prices", "ALTER TABLE products ADD COLUMN price integer;")], None);

        Assert.Equal(2, await temporary.Database.SchemaVersionAsync("shop", None));
        Assert.Equal(0L, await ScalarAsync(temporary.Database, "SELECT COUNT(price) FROM products;"));
    }

    [Fact]
    public async Task RowsWrittenBeforeTheOAuthProviderReadBackAsFirstPartySessionsAndUsersWithoutRoles()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server, migrate: false);
        await temporary.Database.MigrateAsync([TesseraPostgresSchema.Migrations[0]], None);
        await ScalarAsync(temporary.Database, """
            INSERT INTO sessions (handle, secret_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, format, kind, previous_secret_hash, secret_rotated_at)
            VALUES ('old-token-session', '\x00112233', 'user-1', '2030-01-01T00:00:00Z', '2030-01-01T00:05:00Z', '2030-01-02T00:00:00Z', '2030-01-31T00:00:00Z', 2, 'token', '\x44556677', '2030-01-01T00:05:00Z');
            INSERT INTO users (id, username, normalized_username, password_hash, created_at, failed_sign_ins, locked_until, format)
            VALUES ('user-1', 'Alice', 'alice', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', '2030-01-01T00:00:00Z', 2, NULL, 1);
            """);

        await temporary.Database.MigrateAsync(TesseraPostgresSchema.Migrations, None);

        Tessera.Sessions.SessionRecord session = (await new PostgresSessionStore(temporary.Database).FindByHandleAsync("old-token-session", None))!;
        Assert.Equal(Tessera.Sessions.SessionKinds.Token, session.Kind);
        Assert.Equal(new byte[] { 0x44, 0x55, 0x66, 0x77 }, session.PreviousSecretHash?.ToArray());
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 5, 0, TimeSpan.Zero), session.LastSeenAt);
        Assert.Null(session.ClientId);
        Assert.Null(session.Scope);
        Assert.Null(session.AuthenticatedAt);
        Assert.Equal(Tessera.Sessions.SessionRecord.CurrentFormatVersion, session.FormatVersion);

        var users = new PostgresUserStore(temporary.Database);
        Tessera.Users.UserRecord user = (await users.FindByNormalizedUsernameAsync("alice", None))!;
        Assert.Empty(user.Roles);
        Assert.Equal(2, user.FailedSignInCount);
        Assert.True(await users.SetRolesAsync("user-1", ["admin"], None));
        Assert.Equal(["admin"], (await users.FindByIdAsync("user-1", None))!.Roles);
        Assert.Empty(await new PostgresClientStore(temporary.Database).ListAsync(None));
    }

    [Fact]
    public async Task SessionsWrittenBeforeGenerationsReadBackAtGenerationZeroAndTheirRetiredHashesAreGone()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server, migrate: false);
        await temporary.Database.MigrateAsync(TesseraPostgresSchema.Migrations.Take(TesseraPostgresSchema.RefreshGenerationsVersion - 1), None);
        await ScalarAsync(temporary.Database, """
            INSERT INTO sessions (handle, secret_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, format, kind, previous_secret_hash, secret_rotated_at)
            VALUES ('old-token-session', '\x00112233', 'user-1', '2030-01-01T00:00:00Z', '2030-01-01T00:05:00Z', '2030-01-02T00:00:00Z', '2030-01-31T00:00:00Z', 2, 'token', '\x44556677', '2030-01-01T00:05:00Z');
            INSERT INTO session_retired_secrets (secret_hash, handle) VALUES ('\x44556677', 'old-token-session'), ('\x8899aabb', 'old-token-session');
            """);

        await temporary.Database.MigrateAsync(TesseraPostgresSchema.Migrations, None);

        var store = new PostgresSessionStore(temporary.Database);
        Tessera.Sessions.SessionRecord session = (await store.FindByHandleAsync("old-token-session", None))!;
        Assert.Equal(0, session.Generation);
        Assert.Null(session.RotatedBy);
        Assert.Equal(0L, await ScalarAsync(temporary.Database, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'session_retired_secrets';"));
        Assert.True(await store.TryRotateSecretAsync("old-token-session", new byte[] { 0x00, 0x11, 0x22, 0x33 }, new byte[] { 0x01 }, new DateTimeOffset(2030, 1, 1, 0, 6, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 2, 0, 0, 0, TimeSpan.Zero), new byte[] { 0x0A }, None));
        Tessera.Sessions.SessionRecord rotated = (await store.FindByHandleAsync("old-token-session", None))!;
        Assert.Equal(1, rotated.Generation);
        Assert.Equal(new byte[] { 0x0A }, rotated.RotatedBy?.ToArray());
    }

    [Fact]
    public async Task UsersWrittenBeforeTheAuditVersionReadBackEnabledAndTheAuditLogStartsEmpty()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server, migrate: false);
        await temporary.Database.MigrateAsync(TesseraPostgresSchema.Migrations.Take(TesseraPostgresSchema.AuditVersion - 1), None);
        await ScalarAsync(temporary.Database, """
            INSERT INTO users (id, username, normalized_username, password_hash, created_at, failed_sign_ins, locked_until, format, roles)
            VALUES ('user-1', 'Alice', 'alice', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', '2030-01-01T00:00:00Z', 0, 'infinity', 1, '["admin"]'),
                   ('user-2', 'Bob', 'bob', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', '2030-01-01T00:00:01Z', 0, NULL, 1, '[]');
            """);

        await temporary.Database.MigrateAsync(TesseraPostgresSchema.Migrations, None);

        var users = new PostgresUserStore(temporary.Database);
        Tessera.Users.UserPage page = await users.ListAsync(new Tessera.Users.UserQuery(), None);
        Assert.Equal(["alice", "bob"], page.Users.Select(user => user.NormalizedUsername));
        Assert.All(page.Users, user => Assert.Null(user.DisabledAt));
        Assert.Equal(DateTimeOffset.MaxValue, page.Users[0].LockedUntil);
        Assert.Equal(["admin"], page.Users[0].Roles);
        var disabledAt = new DateTimeOffset(2030, 1, 2, 0, 0, 0, TimeSpan.Zero);
        Assert.True(await users.SetDisabledAsync("user-2", disabledAt, None));
        Assert.Equal(disabledAt, (await users.FindByIdAsync("user-2", None))!.DisabledAt);
        Assert.True(await users.DeleteAsync("user-1", None));

        var log = new PostgresAuditLog(temporary.Database);
        Assert.Empty((await log.QueryAsync(new Tessera.Audit.AuditQuery(), None)).Events);
        Tessera.Audit.AuditEvent appended = await log.AppendAsync(new Tessera.Audit.AuditEvent { At = disabledAt, Type = Tessera.Audit.AuditEventTypes.AccountDeleted, UserId = "user-1", ActorId = "cli" }, None);
        Assert.Equal(appended, Assert.Single((await log.QueryAsync(new Tessera.Audit.AuditQuery { UserId = "user-1" }, None)).Events));
    }

    [Fact]
    public async Task RowsWrittenBeforePasskeysReadBackAsPasswordSignInsUnboundAndTheirAccountsDeleteWithTheirPasskeys()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server, migrate: false);
        await temporary.Database.MigrateAsync(TesseraPostgresSchema.Migrations.Take(TesseraPostgresSchema.PasskeysVersion - 1), None);
        await ScalarAsync(temporary.Database, """
            INSERT INTO sessions (handle, secret_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, format, kind, previous_secret_hash, secret_rotated_at, client_id, scope, authenticated_at, generation, rotated_by)
            VALUES ('old-token-session', '\x00112233', 'user-1', '2030-01-01T00:00:00Z', '2030-01-01T00:05:00Z', '2030-01-02T00:00:00Z', '2030-01-31T00:00:00Z', 2, 'token', '\x44556677', '2030-01-01T00:05:00Z', 'photo-app', 'openid', '2030-01-01T00:00:00Z', 4, '\x0a');
            INSERT INTO oauth_authorization_codes (code_hash, client_id, user_id, redirect_uri, scope, code_challenge, nonce, authenticated_at, browser_session_handle, created_at, expires_at, redeemed_at, issued_session_handle, format)
            VALUES ('\xc0de', 'photo-app', 'user-1', 'https://photos.example/cb', 'openid', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', NULL, '2030-01-01T00:00:00Z', NULL, '2030-01-01T00:00:00Z', '2030-01-01T00:01:00Z', NULL, NULL, 1);
            INSERT INTO oauth_clients (client_id, display_name, client_type, token_endpoint_auth_method, secret_hashes, jwks, redirect_uris, post_logout_redirect_uris, grant_types, scopes, cors_origins, require_consent, id_token_signed_response_alg, created_at, format)
            VALUES ('photo-app', 'Photos', 'public', 'none', '[]', NULL, '["https://photos.example/cb"]', '[]', '["authorization_code"]', '["openid"]', '[]', true, 'RS256', '2030-01-01T00:00:00Z', 1);
            INSERT INTO users (id, username, normalized_username, password_hash, created_at, failed_sign_ins, locked_until, format, roles, disabled_at)
            VALUES ('user-1', 'Alice', 'alice', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', '2030-01-01T00:00:00Z', 0, NULL, 1, '[]', NULL);
            """);

        await temporary.Database.MigrateAsync(TesseraPostgresSchema.Migrations, None);

        var sessions = new PostgresSessionStore(temporary.Database);
        Tessera.Sessions.SessionRecord session = (await sessions.FindByHandleAsync("old-token-session", None))!;
        Assert.Null(session.AuthenticationMethods);
        Assert.Null(session.KeyThumbprint);
        Assert.Equal(4, session.Generation);
        Assert.Equal("photo-app", session.ClientId);
        Assert.True(await sessions.TryRotateSecretAsync("old-token-session", new byte[] { 0x00, 0x11, 0x22, 0x33 }, new byte[] { 0x01 }, new DateTimeOffset(2030, 1, 1, 0, 6, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 2, 0, 0, 0, TimeSpan.Zero), null, None));
        Assert.Null((await sessions.FindByHandleAsync("old-token-session", None))!.KeyThumbprint);

        Tessera.OAuth.AuthorizationCode code = (await new PostgresAuthorizationCodeStore(temporary.Database).TryRedeemAsync(new byte[] { 0xc0, 0xde }, new DateTimeOffset(2030, 1, 1, 0, 0, 30, TimeSpan.Zero), "session-2", None))!;
        Assert.Null(code.DpopKeyThumbprint);
        Assert.Equal("photo-app", code.ClientId);
        var clients = new PostgresClientStore(temporary.Database);
        Tessera.OAuth.OAuthClient client = (await clients.FindAsync("photo-app", None))!;
        Assert.False(client.RequireDpopBoundAccessTokens);
        Assert.True(await clients.UpdateAsync(client with { RequireDpopBoundAccessTokens = true }, None));
        Assert.True((await clients.FindAsync("photo-app", None))!.RequireDpopBoundAccessTokens);

        var passkeys = new PostgresPasskeyStore(temporary.Database);
        Assert.Empty(await passkeys.ListAsync("user-1", None));
        Assert.True(await passkeys.AddAsync(new Tessera.Passkeys.PasskeyCredential
        {
            CredentialId = "AAEC", UserId = "user-1", PublicKey = new byte[] { 1, 2, 3 }, SignCount = 0, BackupEligible = true, BackedUp = true,
            Name = "Phone", CreatedAt = new DateTimeOffset(2030, 1, 1, 0, 7, 0, TimeSpan.Zero),
        }, None));
        Assert.True(await new PostgresUserStore(temporary.Database).DeleteAsync("user-1", None));
        Assert.Null(await passkeys.FindAsync("AAEC", None));
    }

    [Fact]
    public async Task DatabaseFromANewerVersionIsRefused()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server);
        await temporary.Database.MigrateAsync([new("shop", 1, "a", "SELECT 1;"), new("shop", 2, "b", "SELECT 1;")], None);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await temporary.Database.MigrateAsync([new("shop", 1, "a", "SELECT 1;")], None));

        Assert.Contains("newer", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedMigrationLeavesTheVersionUnchanged()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server);

        await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
            await temporary.Database.MigrateAsync([new("shop", 1, "ok", "CREATE TABLE t (x integer);"), new("shop", 2, "broken", "THIS IS NOT SQL;")], None));

        Assert.Equal(0, await temporary.Database.SchemaVersionAsync("shop", None));
        Assert.Equal(0L, await ScalarAsync(temporary.Database, "SELECT COUNT(*) FROM pg_tables WHERE tablename = 't';"));
    }

    [Fact]
    public async Task MigrationsNumberedWithAGapAreRefused()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await temporary.Database.MigrateAsync([new("shop", 2, "b", "SELECT 1;")], None));
    }

    [Fact]
    public async Task HealthProbeAnswersOnAMigratedDatabase()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server);

        await new PostgresHealthProbe(temporary.Database).ProbeAsync(None);
    }

    [Fact]
    public async Task NobodyListeningMakesTheStoreUnavailableQuickly()
    {
        await using var nowhere = new PostgresDatabase(new PostgresStoreOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={LoopbackPort.Free()};Username=postgres;Database=none",
            ConnectTimeout = TimeSpan.FromSeconds(2),
        });
        var users = new PostgresUserStore(nowhere);
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await users.FindByIdAsync("x", None));
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await new PostgresHealthProbe(nowhere).ProbeAsync(None));

        // Generous on a loaded machine: the point is "seconds, not a hang".
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public void ConnectionStringIsRequired()
    {
        Assert.ThrowsAny<ArgumentException>(() => new PostgresDatabase(new PostgresStoreOptions()));
    }

    private static Task<object?> ScalarAsync(PostgresDatabase database, string sql) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using NpgsqlCommand command = connection.Command(sql);
            return await command.ExecuteScalarAsync(ct);
        }, None).AsTask();
}
