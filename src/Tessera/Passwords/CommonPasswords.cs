using System.Collections.Frozen;
using System.Reflection;

namespace Tessera.Passwords;

/// <summary>
/// The most common passwords of a public breach corpus (17,950 of 8 characters or more; the list and
/// its source are in <c>Passwords/CommonPasswords/</c>), which NIST SP 800-63B §3.1.1.2 says to
/// refuse. Read once from the embedded resource into a frozen set; compared case-insensitively, as
/// the list itself is lowercased.
/// </summary>
public static class CommonPasswords
{
    private const string ResourceName = "Tessera.Passwords.common-passwords.txt";

    private static readonly Lazy<FrozenSet<string>> Set = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>How many passwords the list holds.</summary>
    public static int Count => Set.Value.Count;

    /// <summary>Whether <paramref name="password"/> is on the list, ignoring case.</summary>
    public static bool Contains(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Set.Value.Contains(password);
    }

    private static FrozenSet<string> Load()
    {
        using Stream stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from {typeof(CommonPasswords).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var passwords = new List<string>(20_000);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                passwords.Add(line);
            }
        }

        return passwords.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
