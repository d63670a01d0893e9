namespace Tessera.Fuzz.Tests;

/// <summary>
/// Every committed input runs through its target in process: the seed corpus (so a change that
/// breaks a target's assumptions shows here first) and every crash or hang the fuzzers found
/// (fuzz/regressions), each fixed and kept so it stays fixed.
/// </summary>
public class ReplayTests
{
    public static TheoryData<string> Targets => [.. FuzzTargets.Names];

    [Theory]
    [MemberData(nameof(Targets))]
    public void EverySeedOfTheCorpusRunsCleanly(string target)
    {
        string[] seeds = [.. FuzzPaths.Inputs(FuzzPaths.Corpus(target))];
        Assert.NotEmpty(seeds);
        foreach (string seed in seeds)
        {
            Exception? thrown = Record.Exception(() => FuzzTargets.Run(target, File.ReadAllBytes(seed)));
            Assert.True(thrown is null, $"{target} seed {Path.GetFileName(seed)}: {thrown}");
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task EveryRegressionInputRunsCleanly(string target)
    {
        foreach (string file in FuzzPaths.Inputs(FuzzPaths.Regressions(target)))
        {
            byte[] input = File.ReadAllBytes(file);
            Task run = Task.Run(() => FuzzTargets.Run(target, input));

            // A hang found by the fuzzer must now end well within afl-fuzz's limit (fuzz/run.sh: -t 5000).
            Task first = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5)));
            Assert.True(ReferenceEquals(first, run), $"{target} regression {Path.GetFileName(file)} still runs past 5 s");
            Assert.True(run.Exception is null, $"{target} regression {Path.GetFileName(file)}: {run.Exception}");
        }
    }

    [Fact]
    public void AnUnknownTargetIsRefused() =>
        Assert.Throws<ArgumentException>(() => FuzzTargets.Run("no-such-target", []));
}
