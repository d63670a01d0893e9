using System.CommandLine;
using System.CommandLine.Parsing;
using Tessera.Cli.Commands;
using Tessera.Cli.Output;

namespace Tessera.Cli;

/// <summary>
/// The <c>tessera</c> command tree and its one way to run: parse, report usage errors (exit 2),
/// invoke, and turn failures into <c>error: CODE: message</c> (exit 1). No stack traces, ever.
/// </summary>
public static class CliApp
{
    /// <summary>The program's name, in help and messages.</summary>
    public const string Name = "tessera";

    /// <summary>Builds the command tree bound to <paramref name="io"/>.</summary>
    public static RootCommand BuildRootCommand(CliIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        return new RootCommand("Tessera's command-line tool: decode, verify and sign JWTs; generate and inspect JWKs; manage a server's keys, OAuth clients, users, sessions and audit log. "
            + "Results go to stdout (JSON indented by two spaces; the client, user, session and audit commands print text unless --json), errors to stderr as 'error: CODE: message'. "
            + "Exit codes: 0 ok, 1 verification or input failure, 2 usage error. Wherever a TOKEN or FILE is expected, - reads it from stdin.")
        {
            HelpName = Name,
            Subcommands = { JwtCommand.Create(io), KeyCommands.Create(io), ClientCommands.Create(io), UserCommands.Create(io), SessionCommands.Create(io), AuditCommands.Create(io) },
        };
    }

    /// <summary>Runs the CLI with <paramref name="args"/> and returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);

        // No response files: '@' introduces --claims @FILE, and a stray @arg must not read a file.
        ParseResult parsed = BuildRootCommand(io).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            foreach (ParseError error in parsed.Errors)
            {
                ErrorOutput.Write(io.Error, CliErrorCodes.Usage, ErrorOutput.RedactTokens(error.Message));
            }

            io.Error.WriteLine($"Run '{CommandPath(parsed.CommandResult)} --help' for usage.");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = io.Out,
            Error = io.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException failure)
        {
            ErrorOutput.Write(io.Error, failure.Code, failure.Message);
            return failure.ExitCode;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug or an environment failure: say what, without a stack trace or any input.
            ErrorOutput.Write(io.Error, CliErrorCodes.Internal, $"{exception.GetType().Name}: {exception.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Synchronous <see cref="RunAsync"/>, safe to call from any context.</summary>
    public static int Run(string[] args, CliIo io) => Task.Run(() => RunAsync(args, io)).GetAwaiter().GetResult();

    private static string CommandPath(CommandResult result)
    {
        var names = new Stack<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult command)
            {
                names.Push(command.Parent is null ? Name : command.Command.Name);
            }
        }

        return string.Join(' ', names);
    }
}
