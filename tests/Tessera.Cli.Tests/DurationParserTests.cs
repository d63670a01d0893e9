using Tessera.Cli.Input;

namespace Tessera.Cli.Tests;

public class DurationParserTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("1s", 1)]
    [InlineData("15m", 15 * 60)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("0090m", 90 * 60)]
    [InlineData("366d", 366 * 86400)]
    [InlineData("31622400s", 366 * 86400)]
    public void Valid_durations_are_a_whole_number_and_one_unit(string text, long seconds)
    {
        Assert.True(DurationParser.TryParse(text, out TimeSpan duration, out string? error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("10")]
    [InlineData("0m")]
    [InlineData("+5m")]
    [InlineData("-5m")]
    [InlineData(" 5m")]
    [InlineData("5 m")]
    [InlineData("5m ")]
    [InlineData("1.5h")]
    [InlineData("5M")]
    [InlineData("2w")]
    [InlineData("1h30m")]
    [InlineData("٥m")] // Arabic-Indic digit five
    [InlineData("367d")]
    [InlineData("31622401s")]
    [InlineData("9223372036854775807s")]
    [InlineData("99999999999999999999999d")]
    public void Anything_else_is_refused_with_a_reason(string text)
    {
        Assert.False(DurationParser.TryParse(text, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
