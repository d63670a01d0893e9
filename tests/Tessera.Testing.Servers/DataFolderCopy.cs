namespace Tessera.Testing.Servers;

/// <summary>
/// Copies a server's data folder (the SQLite database and the key ring) for a second server to
/// start from, after the first one has stopped.
/// </summary>
public static class DataFolderCopy
{
    /// <summary>Copies every file under <paramref name="from"/> to the same place under <paramref name="to"/>.</summary>
    public static void Copy(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                File.Copy(file, target, overwrite: true);
            }
            catch (FileNotFoundException) when (IsSqliteSidecar(file))
            {
                // A stopped in-process server's last pooled SQLite connection can close while we
                // copy: closing checkpoints the WAL into the database and deletes -wal and -shm.
                // The database file then already holds what they held.
            }
        }
    }

    private static bool IsSqliteSidecar(string file) =>
        file.EndsWith("-shm", StringComparison.Ordinal) || file.EndsWith("-wal", StringComparison.Ordinal);
}
