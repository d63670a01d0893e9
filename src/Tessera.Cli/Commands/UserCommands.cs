using System.CommandLine;
using Tessera.Cli.Output;
using Tessera.Cli.Stores;
using Tessera.Users;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera user list|show|lock|unlock|disable|enable|delete|roles</c>: a server's accounts (its
/// --data folder or --postgres database), through <see cref="UserAdministration"/> like the admin
/// API; every change is recorded in the server's audit log as the <c>cli</c> actor.
/// </summary>
internal static class UserCommands
{
    public static Command Create(CliIo io) => new("user", "Manage the users of a Tessera server: list, show, lock, unlock, disable, enable, delete, roles. Changes are audited (admin.action, actor 'cli').")
    {
        UserListCommand.Create(io),
        UserShowCommand.Create(io),
        UserStateCommands.Lock(io),
        UserStateCommands.Unlock(io),
        UserStateCommands.Disable(io),
        UserStateCommands.Enable(io),
        UserDeleteCommand.Create(io),
        Roles(io),
    };

    private static Command Roles(CliIo io)
    {
        var location = AdminLocation.AccountsOnly();
        var username = new Argument<string>("USERNAME") { Description = "The user's name, as they sign in with it." };
        Option<string[]> add = CommonOptions.Repeatable("--add", "ROLE", $"A role to give (repeatable); '{TesseraRoles.Admin}' opens the admin API.");
        Option<string[]> remove = CommonOptions.Repeatable("--remove", "ROLE", "A role to take away (repeatable).");
        Option<bool> json = ClientCommands.JsonFlag();
        var command = new Command("roles", "Show a user's roles, or change them with --add and --remove (applied in that order). Access tokens carry them from their next refresh.")
        {
            username, add, remove, json,
        };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using AdminAccess access = await location.OpenAsync(parsed, io, cancellationToken);
            string[] toAdd = parsed.GetValue(add) ?? [];
            string[] toRemove = parsed.GetValue(remove) ?? [];
            Outcome<UserRecord> outcome = await new UserRoles(access.Stores.Users).ChangeAsync(parsed.GetRequiredValue(username), toAdd, toRemove, cancellationToken);
            if (!outcome.Succeeded)
            {
                throw new CliException(outcome.Error.Code, outcome.Error.Message, outcome.Error.Code == TesseraErrorCodes.RoleInvalid ? ExitCodes.Usage : ExitCodes.Failure);
            }

            UserRecord user = outcome.Value;
            if (toAdd.Length > 0 || toRemove.Length > 0)
            {
                await access.RecordAsync("user.roles.set", user.Id, null, cancellationToken);
            }

            if (parsed.GetValue(json))
            {
                JsonOutput.Write(io.Out, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("userId", user.Id);
                    writer.WriteString("username", user.Username);
                    writer.WriteStartArray("roles");
                    foreach (string role in user.Roles)
                    {
                        writer.WriteStringValue(role);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                });
            }
            else
            {
                TableOutput.Write(io.Out, ["USERNAME", "USER ID", "ROLES"], [[user.Username, user.Id, string.Join(' ', user.Roles)]]);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
