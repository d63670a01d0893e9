using Microsoft.Extensions.DependencyInjection;
using Tessera.Audit;
using Tessera.Sqlite;

namespace Tessera.Server.Tests.AuditStorage;

/// <summary>The server keeps audit events in its database and deletes them past <c>Tessera:Audit:Retention</c>.</summary>
public sealed class AuditRetentionTests
{
    [Fact]
    public async Task AuditEventsAreKeptInTheSqliteFileAndDeletedOnceTheRetentionHasPassed()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?>
        {
            ["Tessera:SessionPurgeInterval"] = "01:00:00",
            ["Tessera:Audit:Retention"] = "01:30:00",
        });
        IAuditLog log = server.Services.GetRequiredService<IAuditLog>();
        Assert.IsType<SqliteAuditLog>(log);
        AuditEvent old = await log.AppendAsync(Event(server), CancellationToken.None);

        server.Time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(200);
        Assert.Contains(await AllSequencesAsync(log), sequence => sequence == old.Sequence);
        AuditEvent recent = await log.AppendAsync(Event(server), CancellationToken.None);

        server.Time.Advance(TimeSpan.FromHours(1));

        Assert.True(await EventuallyAsync(async () => !(await AllSequencesAsync(log)).Contains(old.Sequence)));
        Assert.Equal([recent.Sequence], await AllSequencesAsync(log));
    }

    [Fact]
    public void TheDefaultRetentionIs400Days()
    {
        using var server = new TestServerFactory();

        Assert.Equal(TimeSpan.FromDays(400), server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.TesseraAuditOptions>>().Value.Retention);
    }

    private static AuditEvent Event(TestServerFactory server) => new()
    {
        At = server.Time.GetUtcNow(),
        Type = AuditEventTypes.AdminAction,
        ActorId = AuditActors.Cli,
        Detail = "retention test",
    };

    private static async Task<long[]> AllSequencesAsync(IAuditLog log) =>
        [.. (await log.QueryAsync(new AuditQuery { Limit = AuditQuery.MaxLimit }, CancellationToken.None)).Events.Select(e => e.Sequence)];

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
