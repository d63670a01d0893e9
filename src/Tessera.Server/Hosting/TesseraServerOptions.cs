using Tessera.Sqlite;

namespace Tessera.Server.Hosting;

/// <summary>The server's own settings (section <c>Tessera</c>); each library part has its own subsection.</summary>
public sealed class TesseraServerOptions
{
    public const string Section = "Tessera";

    /// <summary>
    /// Where the database (and, with token mode, the signing keys) live. Relative paths are taken
    /// from the directory the server was started in. <c>--data DIR</c> sets it too.
    /// </summary>
    public string DataDir { get; set; } = "tessera-data";

    /// <summary>
    /// Which backend keeps users, sessions, signing keys and the shop: <c>sqlite</c> (the
    /// default, a file in <see cref="DataDir"/>) or <c>postgres</c> (<c>Tessera:Postgres:ConnectionString</c>).
    /// </summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>How often expired and revoked sessions are deleted.</summary>
    public TimeSpan SessionPurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long an ended session is kept before it is deleted: until then a replayed cookie is
    /// answered "revoked" or "expired" rather than "unknown", and the record is there for audits.
    /// </summary>
    public TimeSpan SessionRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The data folder as an absolute path.</summary>
    public string DataDirectory => Path.GetFullPath(DataDir, Directory.GetCurrentDirectory());

    /// <summary>The data folder's layout: the SQLite database and the Data Protection keys.</summary>
    public TesseraDataFolder DataFolder => new(DataDirectory);
}
