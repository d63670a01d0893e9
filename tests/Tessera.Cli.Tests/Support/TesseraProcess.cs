using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Tessera.Cli.Tests.Support;

/// <summary>Runs the real, built <c>tessera</c> executable as a child process.</summary>
public static class TesseraProcess
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The <c>tessera</c> command as the CLI project's build leaves it (the app host, named after the
    /// command): tests/Tessera.Cli.Tests/bin/CONFIG/TFM/ → src/Tessera.Cli/bin/CONFIG/TFM/.
    /// </summary>
    public static string ExecutablePath
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(root, "src", "Tessera.Cli", "bin", here.Parent!.Name, here.Name, OperatingSystem.IsWindows() ? "tessera.exe" : "tessera");
        }
    }

    public static async Task<CliResult> RunAsync(string? stdin, params string[] args)
    {
        Assert.True(File.Exists(ExecutablePath), $"the built executable is missing: {ExecutablePath}");
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The app host must find the same runtime the tests run on, wherever it is installed.
        if (!start.Environment.ContainsKey("DOTNET_ROOT"))
        {
            start.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"tessera {string.Join(' ', args)} did not exit within {Deadline}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
