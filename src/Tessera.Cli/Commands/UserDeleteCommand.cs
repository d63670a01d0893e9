using System.CommandLine;
using Tessera.Cli.Output;
using Tessera.Cli.Stores;
using Tessera.Users;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera user delete USER [--yes]</c>: deletes an account for good after the operator types
/// its username; without a terminal to ask at, only with <c>--yes</c>. Audited as <c>user.delete</c>.
/// </summary>
internal static class UserDeleteCommand
{
    public static Command Create(CliIo io)
    {
        var location = AdminLocation.WithSessions();
        Argument<string> who = AdminOptions.User();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for the username to confirm (needed when stdin is not a terminal)." };
        Option<bool> json = ClientCommands.JsonFlag();
        var command = new Command("delete", "Delete a user for good: every session ends, their consents are withdrawn and the name becomes free. Asks you to type the username unless --yes.")
        {
            who, yes, json,
        };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            bool confirmed = parsed.GetValue(yes);
            if (!confirmed && !io.InputIsTerminal)
            {
                throw CliException.Usage("user delete asks to type the username, but stdin is not a terminal: add --yes to delete without asking");
            }

            await using AdminAccess access = await location.OpenAsync(parsed, io, cancellationToken);
            UserRecord user = await access.FindAsync(parsed.GetRequiredValue(who), cancellationToken);
            if (!confirmed)
            {
                io.Error.Write($"Delete the user '{user.Username}' ({user.Id}), end their sessions and free the name? Type the username to confirm: ");
                io.Error.Flush();
                string? typed = await io.In.ReadLineAsync(cancellationToken);
                if (!string.Equals(typed?.Trim(), user.Username, StringComparison.Ordinal))
                {
                    throw new CliException(CliErrorCodes.NotConfirmed, $"the name typed is not '{user.Username}': nothing was deleted");
                }
            }

            AdminAccess.Require(await access.Administration.DeleteAsync(user.Id, cancellationToken));
            await access.RecordAsync("user.delete", user.Id, null, cancellationToken);
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(io.Out, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", user.Id);
                    writer.WriteString("username", user.Username);
                    writer.WriteBoolean("deleted", true);
                    writer.WriteEndObject();
                });
            }
            else
            {
                io.Out.WriteLine($"Deleted the user '{user.Username}' ({user.Id}).");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
