using System.CommandLine;
using Tessera.Cli.Keys;
using Tessera.Cli.Stores;
using Tessera.Sqlite;

namespace Tessera.Cli.Commands;

/// <summary>
/// Where a server's data is: <c>--data DIR</c> (its SQLite data folder) or <c>--postgres CONNECTION</c>,
/// exactly one; <typeparamref name="TAccess"/> is what a command opens there.
/// </summary>
internal sealed class ServerLocation<TAccess>(
    string dataDescription,
    string postgresDescription,
    string usage,
    Func<string, CancellationToken, Task<TAccess>> openFolder,
    Func<string, CancellationToken, Task<TAccess>> openPostgres)
{
    private readonly Option<string?> _data = new("--data") { HelpName = "DIR", Description = dataDescription };

    private readonly Option<string?> _postgres = new("--postgres") { HelpName = "CONNECTION", Description = postgresDescription };

    public void AddTo(Command command)
    {
        command.Options.Add(_data);
        command.Options.Add(_postgres);
    }

    public Task<TAccess> OpenAsync(ParseResult parsed, CancellationToken cancellationToken) =>
        (parsed.GetValue(_data), parsed.GetValue(_postgres)) switch
        {
            ({ } dir, null) => openFolder(dir, cancellationToken),
            (null, { } pg) => openPostgres(pg, cancellationToken),
            _ => throw CliException.Usage(usage),
        };
}

/// <summary>The two places commands open: a server's stores (clients, users) and its key ring.</summary>
internal static class ServerLocations
{
    private const string PasswordAdvice = "Leave the password out and set PGPASSWORD to keep it off the command line.";

    /// <summary>The client registry and user store (<c>tessera client …</c>, <c>tessera user …</c>).</summary>
    public static ServerLocation<ServerStoreAccess> Stores() => new(
        $"The server's data folder (holds {TesseraDataFolder.DatabaseFileName}), for the default SQLite store.",
        $"The Npgsql connection string of a server with Tessera:Store=postgres. {PasswordAdvice}",
        "give the server's data: --data DIR or --postgres CONNECTION (one of them)",
        ServerStoreAccess.OpenFolderAsync,
        ServerStoreAccess.OpenPostgresAsync);

    /// <summary>The stores as the administration commands need them (<c>tessera user …</c>, <c>session …</c>, <c>audit …</c>): disabled accounts and the audit log.</summary>
    public static ServerLocation<ServerStoreAccess> AdministrationStores() => new(
        $"The server's data folder (holds {TesseraDataFolder.DatabaseFileName}), for the default SQLite store.",
        $"The Npgsql connection string of a server with Tessera:Store=postgres. {PasswordAdvice}",
        "give the server's data: --data DIR or --postgres CONNECTION (one of them)",
        ServerStoreAccess.OpenFolderForAdministrationAsync,
        ServerStoreAccess.OpenPostgresForAdministrationAsync);

    /// <summary>The signing-key ring and its Data Protection keys (<c>tessera key list|rotate|retire</c>).</summary>
    public static ServerLocation<ServerKeyRingAccess> KeyRing() => new(
        $"The server's data folder (holds {TesseraDataFolder.DatabaseFileName} and {TesseraDataFolder.KeysFolderName}/), for the default SQLite store.",
        $"The Npgsql connection string of a server with Tessera:Store=postgres (keys and Data Protection keys are in the database). {PasswordAdvice}",
        "give the ring's location: --data DIR or --postgres CONNECTION (one of them)",
        ServerKeyRingAccess.OpenFolderAsync,
        ServerKeyRingAccess.OpenPostgresAsync);
}
