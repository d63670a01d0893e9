namespace Tessera.LoadBench.Tests;

/// <summary>
/// <c>--from-results</c> publishes what an earlier run wrote, so what is read back must be what was
/// measured: the results round-trip through load-results.json without losing a field the docs print.
/// </summary>
public class ResultsFilesTests
{
    [Fact]
    public void ResultsReadBackRenderTheSameDocsAsTheRunThatWroteThem()
    {
        LoadBenchResults written = ConceptsTests.Results(withConcepts: true);
        string folder = Directory.CreateTempSubdirectory("tessera-results-").FullName;
        try
        {
            string json = Path.Combine(folder, ResultsFiles.JsonName);
            ResultsFiles.Write(written, folder);
            string first = File.ReadAllText(json);

            LoadBenchResults read = ResultsFiles.Read(folder);

            Assert.Equal(DocSection.Table(written), DocSection.Table(read));
            Assert.Equal(DocSection.Concepts(written), DocSection.Concepts(read));
            Assert.Equal(IssuingDocSection.Tables(written), IssuingDocSection.Tables(read));
            ResultsFiles.Write(read, folder);
            Assert.Equal(first, File.ReadAllText(json));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void FromResultsIsAnOptionThatMeasuresNothing() =>
        Assert.True(LoadBenchOptions.Parse(["--from-results", "--export-doc"]) is { FromResults: true, ExportDoc: true });
}
