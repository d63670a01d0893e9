using System.Text.RegularExpressions;

namespace Tessera.Cluster.Tests.Deploy;

/// <summary>The files of deploy/, copied beside the tests, and the exact-count text replacements that make them runnable here.</summary>
internal static class DeployFiles
{
    public static string NginxTlsFront => Path.Combine(AppContext.BaseDirectory, "deploy", "nginx", "tessera-tls.conf");

    public static string SystemdUnit => Path.Combine(AppContext.BaseDirectory, "deploy", "systemd", "tessera.service");

    /// <summary>
    /// Replaces every match of <paramref name="pattern"/> (multiline) and checks there were exactly
    /// <paramref name="expected"/>: a file that no longer has the line a test fills in fails loudly.
    /// </summary>
    public static string Replace(string text, string file, string pattern, string replacement, int expected)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        int found = regex.Matches(text).Count;
        if (found != expected)
        {
            throw new InvalidOperationException($"{file}: expected {expected} match(es) of /{pattern}/, found {found}; the test fills in those lines.");
        }

        return regex.Replace(text, replacement);
    }
}
