using System.CommandLine;
using Tessera.Audit;
using Tessera.Cli.Output;
using Tessera.Cli.Stores;
using Tessera.Users;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera audit list [--user USER] [--type T] [--since WHEN] [--limit N] [--json]</c>: a server's audit log, newest first.</summary>
internal static class AuditCommands
{
    public static Command Create(CliIo io) => new("audit", "Read a Tessera server's audit log of security events (sign-ins, lockouts, reuse, ended sessions, admin actions).")
    {
        List(io),
    };

    private static Command List(CliIo io)
    {
        var location = AdminLocation.AccountsOnly();
        var user = new Option<string?>("--user") { HelpName = "USER", Description = "Only events about this user (name or id; the id of a deleted user)." };
        var type = new Option<string?>("--type") { HelpName = "TYPE", Description = $"Only events of this type: {string.Join(", ", KnownTypes)}." };
        var actor = new Option<string?>("--actor") { HelpName = "ACTOR", Description = $"Only events done by this actor: a user id, '{AuditActors.Cli}' or '{AuditActors.System}'." };
        Option<DateTimeOffset?> since = AdminOptions.When("--since", "Only events at or after this time.", forward: false, io);
        Option<int> limit = AdminOptions.Limit("At most this many events", 100, AuditQuery.MaxLimit);
        var before = new Option<long?>("--before") { HelpName = "SEQ", Description = "Only events older than this sequence number (the 'next' of the previous page)." };
        Option<bool> json = ClientCommands.JsonFlag();
        var command = new Command("list", "List audit events, newest first: sequence, time, type, actor, user, session, client, address, outcome, detail.")
        {
            user, type, actor, since, limit, before, json,
        };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using AdminAccess access = await location.OpenAsync(parsed, io, cancellationToken);
            string? userId = null;
            if (parsed.GetValue(user) is { } who)
            {
                // A deleted user's events stay: an id that names no account is still a filter.
                Outcome<UserRecord> found = await access.Administration.FindAsync(who, cancellationToken);
                userId = found.Succeeded ? found.Value.Id : who;
            }

            AuditPage page = await access.AuditLog.QueryAsync(
                new AuditQuery
                {
                    UserId = userId,
                    ActorId = parsed.GetValue(actor),
                    Type = parsed.GetValue(type),
                    Since = parsed.GetValue(since),
                    Before = parsed.GetValue(before),
                    Limit = parsed.GetValue(limit),
                },
                cancellationToken);
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(io.Out, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray("events");
                    foreach (AuditEvent auditEvent in page.Events)
                    {
                        AdminOutput.WriteAuditEvent(writer, auditEvent);
                    }

                    writer.WriteEndArray();
                    if (page.Next is { } next)
                    {
                        writer.WriteNumber("next", next);
                    }
                    else
                    {
                        writer.WriteNull("next");
                    }

                    writer.WriteEndObject();
                });
            }
            else if (page.Events.Count == 0)
            {
                io.Out.WriteLine("No audit events.");
            }
            else
            {
                TableOutput.Write(io.Out, AdminOutput.AuditHeaders, page.Events.Select(AdminOutput.AuditRow));
                if (page.Next is { } next)
                {
                    io.Out.WriteLine($"Older events follow: --before {next}.");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static readonly string[] KnownTypes =
    [
        AuditEventTypes.SignInSucceeded, AuditEventTypes.SignInFailed, AuditEventTypes.LockedOut, AuditEventTypes.RefreshTokenReused,
        AuditEventTypes.SessionEnded, AuditEventTypes.AccountCreated, AuditEventTypes.AccountDeleted, AuditEventTypes.PasswordChanged,
        AuditEventTypes.AdminAction,
    ];
}
