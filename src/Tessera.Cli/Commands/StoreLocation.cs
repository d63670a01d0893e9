using System.CommandLine;
using Tessera.Cli.Stores;
using Tessera.Sqlite;

namespace Tessera.Cli.Commands;

/// <summary>Where a server's data is: <c>--data DIR</c> (its SQLite data folder) or <c>--postgres CONNECTION</c>, exactly one (as for <c>tessera key list</c>).</summary>
internal sealed class StoreLocation
{
    private readonly Option<string?> _data = new("--data")
    {
        HelpName = "DIR",
        Description = $"The server's data folder (holds {TesseraDataFolder.DatabaseFileName}), for the default SQLite store.",
    };

    private readonly Option<string?> _postgres = new("--postgres")
    {
        HelpName = "CONNECTION",
        Description = "The Npgsql connection string of a server with Tessera:Store=postgres. Leave the password out and set PGPASSWORD to keep it off the command line.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_data);
        command.Options.Add(_postgres);
    }

    public Task<ServerStoreAccess> OpenAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        string? folder = parsed.GetValue(_data);
        string? connection = parsed.GetValue(_postgres);
        return (folder, connection) switch
        {
            ({ } dir, null) => ServerStoreAccess.OpenFolderAsync(dir, cancellationToken),
            (null, { } pg) => ServerStoreAccess.OpenPostgresAsync(pg, cancellationToken),
            _ => throw CliException.Usage("give the server's data: --data DIR or --postgres CONNECTION (one of them)"),
        };
    }
}
