namespace Tessera.Server.Hosting;

/// <summary>Start-up choices made before the builder exists.</summary>
internal static class ServerHost
{
    /// <summary>Where the server listens when nothing else is configured: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// The content root (where appsettings.json is read) is the program's own folder, so
    /// <c>dotnet run --project src/Tessera.Server</c> from the repository root finds its settings,
    /// unless a content root is given explicitly.
    /// </summary>
    public static WebApplicationOptions Options(string[] args)
    {
        bool explicitRoot = args.Any(a => a.Contains("contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        return new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = explicitRoot ? null : AppContext.BaseDirectory,
        };
    }
}
