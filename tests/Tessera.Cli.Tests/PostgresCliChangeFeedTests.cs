using Tessera.Cli.Tests.Support;
using Tessera.PostgreSql;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Testing.Servers;
using Tessera.Users;

namespace Tessera.Cli.Tests;

/// <summary>#13: a session the operator ends with the CLI is announced, so servers with the PostgreSQL change feed on hear it.</summary>
public sealed class PostgresCliChangeFeedTests(PostgresServer cluster) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task ASessionEndedWithTheCliIsHeardOnTheChangeFeed()
    {
        string connectionString = await cluster.CreateDatabaseAsync();
        var database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = connectionString });
        try
        {
            await database.MigrateAsync(TesseraPostgresSchema.Migrations, default);
            var user = new UserRecord
            {
                Id = RandomIds.New128(),
                Username = "bob",
                NormalizedUsername = UsernameRules.Normalize("bob"),
                PasswordHash = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
                CreatedAt = DateTimeOffset.UnixEpoch,
            };
            Assert.True(await new PostgresUserStore(database).TryCreateAsync(user, default));
            IssuedSession session = await new SessionService(new PostgresSessionStore(database), new TesseraSessionOptions(), TimeProvider.System)
                .CreateAsync(user.Id, new SessionClient("198.51.100.7", "curl/8.5.0"), default);
            await using var feed = new PostgresSessionChangeFeed(database, new PostgresStoreOptions { ConnectionString = connectionString }, new PostgresChangeFeedOptions { Enabled = true });
            var heard = new Heard();
            using IDisposable subscription = feed.Subscribe(heard);
            await heard.Reset.Task.WaitAsync(TimeSpan.FromSeconds(30));

            await CliRunner.SucceedAsync("session", "end", "--postgres", connectionString, "--", "bob", session.Session.Handle);

            SessionChange change = await heard.Changes.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(new SessionChange(SessionChangeKind.Revoked, session.Session.Handle, user.Id), change);
        }
        finally
        {
            await database.DisposeAsync();
            await cluster.DropDatabaseAsync(connectionString);
        }
    }

    private sealed class Heard : ISessionChangeListener
    {
        public TaskCompletionSource Reset { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<SessionChange> Changes { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnChange(SessionChange change) => Changes.TrySetResult(change);

        public void OnReset() => Reset.TrySetResult();

        public void OnDisconnected()
        {
        }
    }
}
