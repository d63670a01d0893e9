using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Tessera.Testing.Servers;

namespace Tessera.Provider.Interop.Tests;

/// <summary>
/// The Node project copied beside the tests (js/: package.json, package-lock.json, the scripts):
/// checks Node.js is new enough for openid-client 6, and installs the locked packages with
/// <c>npm ci</c> unless the installed tree already matches the lock file.
/// </summary>
public static partial class NodeProject
{
    /// <summary>openid-client 6 and oauth4webapi 3 need WebCrypto and fetch as globals: Node.js 20 or later.</summary>
    public const int MinimumNodeMajor = 20;

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "js");

    public static string ModulePath(string relative) => Path.Combine(Folder, "node_modules", relative);

    public static async Task EnsureInstalledAsync()
    {
        string version = (await RunAsync("node", ["--version"], TimeSpan.FromSeconds(30))).Trim();
        Match major = NodeMajor().Match(version);
        if (!major.Success || int.Parse(major.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < MinimumNodeMajor)
        {
            throw new InvalidOperationException($"Node.js {MinimumNodeMajor} or later is needed (openid-client 6); found '{version}'.");
        }

        string lockHash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(Folder, "package-lock.json"))));
        string marker = Path.Combine(Folder, "node_modules", ".tessera-installed-lock");
        if (File.Exists(marker) && string.Equals(await File.ReadAllTextAsync(marker), lockHash, StringComparison.Ordinal))
        {
            return;
        }

        await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(5));
        await File.WriteAllTextAsync(marker, lockHash);
    }

    /// <summary>Runs a program in the Node project's folder; its standard output (throws with everything it printed if it fails).</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        System.Diagnostics.ProcessStartInfo start = ExternalCommand.For(program, arguments);
        start.WorkingDirectory = Folder;
        try
        {
            return await ExternalCommand.RunAsync(start, timeout);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{program}' is not installed: the interop tests need Node.js {MinimumNodeMajor}+ and npm (./test.sh checks for them).", ex);
        }
    }

    [GeneratedRegex(@"^v(\d+)\.")]
    private static partial Regex NodeMajor();
}
