using System.CommandLine;
using Tessera.Cli.Output;
using Tessera.Cli.Stores;
using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera user show USER [--json]</c>: one account and its active sessions.</summary>
internal static class UserShowCommand
{
    public static Command Create(CliIo io)
    {
        var location = AdminLocation.WithSessions();
        Argument<string> who = AdminOptions.User();
        Option<bool> json = ClientCommands.JsonFlag();
        var command = new Command("show", "Show a user (by name or id) and their active sessions, newest first.") { who, json };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using AdminAccess access = await location.OpenAsync(parsed, io, cancellationToken);
            UserRecord user = await access.FindAsync(parsed.GetRequiredValue(who), cancellationToken);
            IReadOnlyList<SessionRecord> sessions = AdminAccess.Require(await access.Administration.ListSessionsAsync(user.Id, cancellationToken));
            DateTimeOffset now = io.TimeProvider.GetUtcNow();
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(io.Out, writer =>
                {
                    writer.WriteStartObject();
                    AdminOutput.WriteUserMembers(writer, user, now);
                    writer.WriteNumber("activeSessions", sessions.Count);
                    AdminOutput.WriteSessions(writer, "sessions", sessions);
                    writer.WriteEndObject();
                });
                return ExitCodes.Ok;
            }

            TableOutput.Write(io.Out, AdminOutput.UserHeaders, [AdminOutput.UserRow(user, now)]);
            io.Out.WriteLine();
            if (sessions.Count == 0)
            {
                io.Out.WriteLine("No active sessions.");
            }
            else
            {
                TableOutput.Write(io.Out, AdminOutput.SessionHeaders, sessions.Select(AdminOutput.SessionRow));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
