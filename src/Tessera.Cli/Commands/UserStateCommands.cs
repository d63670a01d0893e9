using System.CommandLine;
using Tessera.Cli.Output;
using Tessera.Cli.Stores;
using Tessera.Users;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera user lock|unlock|disable|enable USER</c>: the account's state changes, each printed
/// as the user afterwards and audited as <c>user.lock</c>, <c>user.unlock</c>, <c>user.disable</c>, <c>user.enable</c>.
/// </summary>
internal static class UserStateCommands
{
    public static Command Lock(CliIo io)
    {
        Option<DateTimeOffset?> until = AdminOptions.When("--until", "When the lock ends (default: when 'user unlock' lifts it).", forward: true, io);
        return Create(io, "lock", "user.lock", AdminLocation.AccountsOnly(),
            "Stop a user from signing in, until --until or until 'user unlock'. Their sessions go on: 'user disable' or 'session end-all' ends them.",
            [until],
            (access, parsed, id, cancellationToken) =>
            {
                DateTimeOffset? end = parsed.GetValue(until);
                if (end is { } time && time <= io.TimeProvider.GetUtcNow())
                {
                    throw CliException.Usage($"--until: {AdminOutput.Time(time)} is not in the future");
                }

                return access.Administration.LockAsync(id, end, cancellationToken);
            });
    }

    public static Command Unlock(CliIo io) => Create(io, "unlock", "user.unlock", AdminLocation.AccountsOnly(),
        "Lift an administrator's lock: the user can sign in again.", [],
        (access, _, id, cancellationToken) => access.Administration.UnlockAsync(id, cancellationToken));

    public static Command Disable(CliIo io) => Create(io, "disable", "user.disable", AdminLocation.WithSessions(),
        "Disable an account: no sign-in, and every one of its sessions ends now (refresh tokens stop working, access tokens are refused by sid where revocation is checked).", [],
        (access, _, id, cancellationToken) => access.Administration.DisableAsync(id, cancellationToken));

    public static Command Enable(CliIo io) => Create(io, "enable", "user.enable", AdminLocation.AccountsOnly(),
        "Enable a disabled account; the sessions that disabling ended stay ended.", [],
        (access, _, id, cancellationToken) => access.Administration.EnableAsync(id, cancellationToken));

    private static Command Create(
        CliIo io,
        string name,
        string action,
        AdminLocation location,
        string description,
        Option[] options,
        Func<AdminAccess, ParseResult, string, CancellationToken, ValueTask<Outcome<UserRecord>>> change)
    {
        Argument<string> who = AdminOptions.User();
        Option<bool> json = ClientCommands.JsonFlag();
        var command = new Command(name, description) { who };
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }

        command.Options.Add(json);
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using AdminAccess access = await location.OpenAsync(parsed, io, cancellationToken);
            UserRecord found = await access.FindAsync(parsed.GetRequiredValue(who), cancellationToken);
            UserRecord user = AdminAccess.Require(await change(access, parsed, found.Id, cancellationToken));
            await access.RecordAsync(action, user.Id, null, cancellationToken);
            DateTimeOffset now = io.TimeProvider.GetUtcNow();
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(io.Out, writer => AdminOutput.WriteUser(writer, user, now));
            }
            else
            {
                TableOutput.Write(io.Out, AdminOutput.UserHeaders, [AdminOutput.UserRow(user, now)]);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
