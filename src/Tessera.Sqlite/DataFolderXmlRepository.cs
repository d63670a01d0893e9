using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging;

namespace Tessera.Sqlite;

/// <summary>
/// The Data Protection key ring in a data folder's <c>keys/</c>: Data Protection's own
/// <see cref="FileSystemXmlRepository"/>, in a folder created 0700 with every key file made 0600
/// once written (on Unix). The server and the <c>tessera key</c> commands both use it. The keys
/// are encrypted with the key-encryption certificate before they reach it; the modes keep other
/// local users from even copying them.
/// </summary>
public sealed class DataFolderXmlRepository : IXmlRepository
{
    private readonly FileSystemXmlRepository _files;
    private readonly string _folder;

    /// <summary>The key ring in <paramref name="dataFolder"/>'s <c>keys/</c>, creating the data folder and the key folder owner-only (0700) when missing and restricting existing key files to 0600.</summary>
    public DataFolderXmlRepository(TesseraDataFolder dataFolder, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(dataFolder);
        _folder = dataFolder.KeysPath;
        // Before the inner repository would create it with the umask's mode; the data folder too,
        // when the key ring is the first to need it.
        OwnerOnlyFiles.CreateFolder(dataFolder.Path);
        OwnerOnlyFiles.CreateFolder(_folder);
        _files = new FileSystemXmlRepository(new DirectoryInfo(_folder), loggers);
        // Key files an earlier version wrote with the umask's mode (0644) lose group and other access now, not at the next key.
        RestrictKeyFiles();
    }

    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements() => _files.GetAllElements();

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        _files.StoreElement(element, friendlyName);
        // The inner repository names the file itself (a temporary file moved into place): restrict
        // whatever is in the folder, a handful of small files. The 0700 folder already kept others out meanwhile.
        RestrictKeyFiles();
    }

    private void RestrictKeyFiles()
    {
        foreach (string file in Directory.EnumerateFiles(_folder, "*.xml"))
        {
            OwnerOnlyFiles.Restrict(file);
        }
    }
}
