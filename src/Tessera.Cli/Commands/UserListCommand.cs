using System.CommandLine;
using Tessera.Cli.Output;
using Tessera.Cli.Stores;
using Tessera.Users;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera user list [--search TEXT] [--limit N] [--after CURSOR] [--all] [--json]</c>: accounts in username order.</summary>
internal static class UserListCommand
{
    public static Command Create(CliIo io)
    {
        var location = AdminLocation.AccountsOnly();
        var search = new Option<string?>("--search") { HelpName = "TEXT", Description = "Only users whose name contains TEXT (compared as sign-in compares names), or whose id is exactly TEXT." };
        Option<int> limit = AdminOptions.Limit("Users per page", 50, UserQuery.MaxLimit);
        var after = new Option<string?>("--after") { HelpName = "CURSOR", Description = "Start after this cursor (the 'next' of the previous page)." };
        var all = new Option<bool>("--all") { Description = "Every matching user, page after page (a count on stderr while it runs, when stderr is a terminal)." };
        Option<bool> json = ClientCommands.JsonFlag();
        var command = new Command("list", "List a server's users: name, id, creation time, roles and status (active, disabled, locked), in username order, one page unless --all.")
        {
            search, limit, after, all, json,
        };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using AdminAccess access = await location.OpenAsync(parsed, io, cancellationToken);
            var users = new List<UserRecord>();
            string? next = parsed.GetValue(after);
            using (var progress = new ProgressCount(io, "users listed"))
            {
                do
                {
                    UserPage page = await access.Administration.ListAsync(parsed.GetValue(search), next, parsed.GetValue(limit), cancellationToken);
                    users.AddRange(page.Users);
                    next = page.Next;
                    progress.Report(users.Count);
                }
                while (parsed.GetValue(all) && next is not null);
            }

            DateTimeOffset now = io.TimeProvider.GetUtcNow();
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(io.Out, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray("users");
                    foreach (UserRecord user in users)
                    {
                        AdminOutput.WriteUser(writer, user, now);
                    }

                    writer.WriteEndArray();
                    if (next is null)
                    {
                        writer.WriteNull("next");
                    }
                    else
                    {
                        writer.WriteString("next", next);
                    }

                    writer.WriteEndObject();
                });
            }
            else if (users.Count == 0)
            {
                io.Out.WriteLine("No users.");
            }
            else
            {
                TableOutput.Write(io.Out, AdminOutput.UserHeaders, users.Select(u => AdminOutput.UserRow(u, now)));
                if (next is not null)
                {
                    io.Out.WriteLine($"More users follow: --after {next} (or --all).");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
