namespace Tessera.Sqlite;

/// <summary>
/// The layout of a Tessera data folder, defined once for the server, the <c>tessera key</c>
/// commands and apps that embed Tessera with SQLite: the database file <c>tessera.db</c> and the
/// Data Protection key ring in <c>keys/</c> (it protects the signing keys stored in the database,
/// so the two travel together in a backup).
/// </summary>
public sealed class TesseraDataFolder
{
    /// <summary>The SQLite database's file name inside the folder.</summary>
    public const string DatabaseFileName = "tessera.db";

    /// <summary>The Data Protection key ring's folder name inside the folder.</summary>
    public const string KeysFolderName = "keys";

    /// <summary>The folder at <paramref name="path"/>; a relative path is taken from the current directory.</summary>
    public TesseraDataFolder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The folder, as an absolute path.</summary>
    public string Path { get; }

    /// <summary>The SQLite database file.</summary>
    public string DatabasePath => System.IO.Path.Combine(Path, DatabaseFileName);

    /// <summary>The folder holding the Data Protection keys (XML files).</summary>
    public string KeysPath => System.IO.Path.Combine(Path, KeysFolderName);
}
