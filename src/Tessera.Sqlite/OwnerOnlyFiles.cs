namespace Tessera.Sqlite;

/// <summary>
/// Folders and files only the server's own user may open (Unix modes 0700 and 0600, whatever the
/// umask): the database holds password hashes and sessions, the key folder the key ring (ASVS 5
/// V13.3: secrets readable only by the process that needs them). On Windows the folder's ACL,
/// inherited from where the operator put it, applies unchanged.
/// </summary>
public static class OwnerOnlyFiles
{
    /// <summary>rwx------.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw-------.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Creates <paramref name="path"/> as 0700 (missing parents as usual: the mode of
    /// <see cref="Directory.CreateDirectory(string, UnixFileMode)"/> applies to the last folder only).
    /// A folder that exists is left as it is: the operator chose it (a mounted volume, a group for backups).
    /// </summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows() || Directory.Exists(path))
        {
            Directory.CreateDirectory(path);
            return;
        }

        string full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { Length: > 0 } parent)
        {
            Directory.CreateDirectory(parent);
        }

        Directory.CreateDirectory(full, FolderMode);
    }

    /// <summary>
    /// Creates <paramref name="path"/> empty as 0600 when it does not exist (SQLite takes an empty
    /// file for a new database, and gives its <c>-wal</c> and <c>-shm</c> files the database's
    /// mode), and takes group and other access away from one that does.
    /// </summary>
    public static void CreateOrRestrictFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            Restrict(path);
        }
    }

    /// <summary>Takes group and other access away from <paramref name="path"/> if it exists.</summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        UnixFileMode mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0)
        {
            try
            {
                File.SetUnixFileMode(path, mode & ~GroupOrOther);
            }
            catch (UnauthorizedAccessException)
            {
                // Only a file's owner may change its mode: another user's file keeps what its owner chose.
            }
        }
    }
}
