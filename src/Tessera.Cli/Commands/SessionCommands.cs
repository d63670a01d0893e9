using System.CommandLine;
using Tessera.Cli.Output;
using Tessera.Cli.Stores;
using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera session list|end|end-all USER</c>: a user's active sessions on a server, and ending
/// them (reason <c>ended_by_admin</c>, audited as <c>user.session.end</c> and <c>user.sessions.end_all</c>, the admin API's names).
/// </summary>
internal static class SessionCommands
{
    public static Command Create(CliIo io) => new("session", "See and end a user's sessions on a Tessera server (with --redis when the server keeps them in Redis). Ending is audited (admin.action, actor 'cli').")
    {
        List(io), End(io), EndAll(io),
    };

    private static Command List(CliIo io)
    {
        var location = AdminLocation.WithSessions();
        Argument<string> who = AdminOptions.User();
        Option<bool> json = ClientCommands.JsonFlag();
        var command = new Command("list", "List a user's active sessions, newest first: id, device, address, last seen, mode (cookie or token), created, expires.") { who, json };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using AdminAccess access = await location.OpenAsync(parsed, io, cancellationToken);
            UserRecord user = await access.FindAsync(parsed.GetRequiredValue(who), cancellationToken);
            IReadOnlyList<SessionRecord> sessions = AdminAccess.Require(await access.Administration.ListSessionsAsync(user.Id, cancellationToken));
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(io.Out, writer =>
                {
                    writer.WriteStartObject();
                    AdminOutput.WriteSessions(writer, "sessions", sessions);
                    writer.WriteEndObject();
                });
            }
            else if (sessions.Count == 0)
            {
                io.Out.WriteLine($"'{user.Username}' has no active sessions.");
            }
            else
            {
                TableOutput.Write(io.Out, AdminOutput.SessionHeaders, sessions.Select(AdminOutput.SessionRow));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command End(CliIo io)
    {
        var location = AdminLocation.WithSessions();
        Argument<string> who = AdminOptions.User();
        var sessionId = new Argument<string>("SESSION_ID") { Description = $"The session's id, as 'session list' shows it. {AdminOptions.DashAdvice}" };
        Option<bool> json = ClientCommands.JsonFlag();
        var command = new Command("end", "End one active session of a user now: its cookie and refresh token stop working, its access tokens are refused by sid where revocation is checked.")
        {
            who, sessionId, json,
        };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using AdminAccess access = await location.OpenAsync(parsed, io, cancellationToken);
            UserRecord user = await access.FindAsync(parsed.GetRequiredValue(who), cancellationToken);
            string handle = parsed.GetRequiredValue(sessionId);
            if (await access.Administration.EndSessionAsync(user.Id, handle, cancellationToken) is { } error)
            {
                throw new CliException(error.Code, error.Message);
            }

            await access.RecordAsync("user.session.end", user.Id, handle, cancellationToken);
            WriteEnded(io, parsed.GetValue(json), user, 1);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command EndAll(CliIo io)
    {
        var location = AdminLocation.WithSessions();
        Argument<string> who = AdminOptions.User();
        Option<bool> json = ClientCommands.JsonFlag();
        var command = new Command("end-all", "End every active session of a user now (the account stays usable: they can sign in again).") { who, json };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using AdminAccess access = await location.OpenAsync(parsed, io, cancellationToken);
            UserRecord user = await access.FindAsync(parsed.GetRequiredValue(who), cancellationToken);
            int ended = AdminAccess.Require(await access.Administration.EndAllSessionsAsync(user.Id, cancellationToken));
            await access.RecordAsync("user.sessions.end_all", user.Id, null, cancellationToken);
            WriteEnded(io, parsed.GetValue(json), user, ended);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteEnded(CliIo io, bool json, UserRecord user, int ended)
    {
        if (json)
        {
            JsonOutput.Write(io.Out, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("userId", user.Id);
                writer.WriteNumber("ended", ended);
                writer.WriteEndObject();
            });
        }
        else
        {
            io.Out.WriteLine($"Ended {ended} session{(ended == 1 ? string.Empty : "s")} of '{user.Username}'.");
        }
    }
}
