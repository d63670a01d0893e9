namespace Tessera.Packaging.Tests.Contents;

/// <summary>The library packages and the Tessera packages each one depends on (its project references).</summary>
internal static class LibraryIds
{
    public static readonly IReadOnlyDictionary<string, string[]> TesseraDependencies = new Dictionary<string, string[]>
    {
        ["Tessera.Jose"] = [],
        ["Tessera"] = ["Tessera.Jose"],
        ["Tessera.AspNetCore"] = ["Tessera", "Tessera.Jose"],
        ["Tessera.Sqlite"] = ["Tessera"],
        ["Tessera.PostgreSql"] = ["Tessera"],
        ["Tessera.Redis"] = ["Tessera"],
    };

    public static IEnumerable<string> All => TesseraDependencies.Keys;

    /// <summary>The tool's package id (the command is <c>tessera</c>; the id cannot be, see Tessera.Cli.csproj).</summary>
    public const string Tool = "Tessera.Cli";
}
