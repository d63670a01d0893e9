using Microsoft.Extensions.Options;
using Tessera.Server.Hosting;

// One command, nothing else installed: `dotnet run --project src/Tessera.Server`.
WebApplicationBuilder builder = WebApplication.CreateBuilder(ServerHost.Options(args));
builder.AddTesseraServer(args);
WebApplication app = builder.Build();
app.UseTesseraServer();

try
{
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    // A bad setting: say which, plainly, and exit without a stack trace.
    await Console.Error.WriteLineAsync($"Tessera cannot start, the configuration is invalid: {string.Join(" ", ex.Failures)}");
    return 2;
}
catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
{
    // Several options failed (a missing key-encryption key and a bad value, say): every one named.
    await Console.Error.WriteLineAsync($"Tessera cannot start, the configuration is invalid: {string.Join(" ", ex.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures))}");
    return 2;
}
catch (InvalidOperationException ex)
{
    // Unconvertible values ("Failed to convert configuration value at 'Tessera:Sessions:IdleTimeout'…"),
    // a database from a newer version, an unusable data folder.
    await Console.Error.WriteLineAsync($"Tessera cannot start: {ex.Message}");
    return 2;
}

/// <summary>The entry point, visible to the HTTP tests' WebApplicationFactory.</summary>
public partial class Program;
