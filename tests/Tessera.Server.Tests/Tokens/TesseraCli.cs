using System.Diagnostics;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.Tokens;

/// <summary>Runs the built <c>tessera</c> CLI (the real executable's assembly) and collects its output.</summary>
internal static class TesseraCli
{
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        RunAsync(TestKeyEncryption.Default.EnvironmentVariables, args);

    /// <summary>Runs the CLI with <paramref name="environment"/> (by default the test key-encryption certificate the servers use).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IDictionary<string, string> environment, params string[] args)
    {
        string cli = BuiltCli.DllPath;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }
}
