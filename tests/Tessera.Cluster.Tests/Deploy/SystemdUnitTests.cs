using System.Globalization;
using System.Text.RegularExpressions;
using Tessera.Testing.Servers;

namespace Tessera.Cluster.Tests.Deploy;

/// <summary>
/// deploy/systemd/tessera.service checked by systemd's own tools (Debian's systemd package):
/// <c>systemd-analyze verify</c> (every key known, every value well-formed) and
/// <c>systemd-analyze security --offline</c> (the hardening, scored), plus its agreement with the
/// nginx TLS front. Running it under systemd needs a booted systemd, which a test machine lacks.
/// </summary>
public sealed partial class SystemdUnitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task SystemdVerifiesTheUnitWithoutAWarning()
    {
        // verify also checks that ExecStart's program exists: an executable stands in for the
        // published server at the same name; nothing else of the file is changed.
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("systemd units are checked on Linux.");
        }

        string folder = Path.Combine(Path.GetTempPath(), "tessera-cluster-tests", "systemd-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        try
        {
            string program = Path.Combine(folder, "Tessera.Server");
            await File.WriteAllTextAsync(program, "#!/bin/sh\n");
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string unit = Path.Combine(folder, "tessera.service");
            string text = DeployFiles.Replace(await File.ReadAllTextAsync(DeployFiles.SystemdUnit), "deploy/systemd/tessera.service", @"^ExecStart=/opt/tessera/Tessera\.Server ", $"ExecStart={program} ", 1);
            await File.WriteAllTextAsync(unit, text);

            // Unknown keys and bad values are warnings with exit code 0: any output is a failure.
            string output = await ExternalCommand.RunAsync(ExternalCommand.For(SystemdAnalyze(), ["verify", unit]), Timeout);

            Assert.True(output.Trim().Length == 0, $"systemd-analyze verify said:\n{output}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TheUnitsExposureScoreIsLow()
    {
        string output = await ExternalCommand.RunAsync(ExternalCommand.For(SystemdAnalyze(), ["security", "--offline=true", "--no-pager", DeployFiles.SystemdUnit]), Timeout);

        Match overall = ExposureLine().Match(output);
        Assert.True(overall.Success, $"No overall exposure level in:\n{output}");
        // 0 is fully locked down, 10 fully exposed; systemd calls below 2 "OK". The file scores 1.5
        // (JIT-compiled .NET cannot have MemoryDenyWriteExecute).
        double score = double.Parse(overall.Groups["score"].Value, CultureInfo.InvariantCulture);
        Assert.True(score <= 2.0, $"Exposure {score} is above 2.0:\n{output}");
    }

    [Fact]
    public void TheUnitAndTheNginxFrontAgreeOnTheAddressAndTheHost()
    {
        SystemdUnitFile unit = SystemdUnitFile.Read(DeployFiles.SystemdUnit);
        string nginx = File.ReadAllText(DeployFiles.NginxTlsFront);

        string execStart = Assert.Single(unit.Values("Service", "ExecStart"));
        Assert.Contains("--urls http://127.0.0.1:5080", execStart, StringComparison.Ordinal);
        Assert.Contains("server 127.0.0.1:5080;", nginx, StringComparison.Ordinal);
        Assert.Contains("--data %S/tessera", execStart, StringComparison.Ordinal);
        Assert.Equal("tessera", Assert.Single(unit.Values("Service", "StateDirectory")));
        string issuerHost = new Uri(unit.Environment["Tessera__Tokens__Issuer"]).Host;
        Assert.Contains($"server_name {issuerHost};", nginx, StringComparison.Ordinal);
    }

    private static string SystemdAnalyze() =>
        File.Exists("/usr/bin/systemd-analyze") ? "/usr/bin/systemd-analyze"
        : throw new InvalidOperationException("systemd-analyze is missing: install Debian's systemd package (./test.sh does).");

    [GeneratedRegex(@"Overall exposure level for tessera\.service: (?<score>\d+(\.\d+)?)")]
    private static partial Regex ExposureLine();
}
