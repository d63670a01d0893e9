using System.Diagnostics;
using Tessera.Testing.Servers;

namespace Tessera.Packaging.Tests;

/// <summary>
/// The <c>dotnet</c> command as a user would run it in another folder: none of the variables this
/// test run's own MSBuild and test host set leak into it.
/// </summary>
internal static class DotnetCommand
{
    private static readonly string[] InheritedByTheTestRun = ["MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly", "VSTEST_HOST_DEBUG", "VSTEST_RUNNER_DEBUG"];

    /// <param name="packagesFolder">NuGet's global packages folder for this command (<c>NUGET_PACKAGES</c>); a fresh one holds no earlier copy of a package.</param>
    public static ProcessStartInfo Start(IEnumerable<string> arguments, string workingDirectory, string? packagesFolder = null) =>
        Program("dotnet", arguments, workingDirectory, packagesFolder);

    /// <summary>Another program (an installed tool) in the same clean environment.</summary>
    public static ProcessStartInfo Program(string program, IEnumerable<string> arguments, string workingDirectory, string? packagesFolder = null)
    {
        ProcessStartInfo start = ExternalCommand.For(program, arguments);
        start.WorkingDirectory = workingDirectory;
        foreach (string name in InheritedByTheTestRun)
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        if (packagesFolder is not null)
        {
            start.Environment["NUGET_PACKAGES"] = packagesFolder;
        }

        return start;
    }
}
