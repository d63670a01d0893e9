using Tessera.Cli.Input;

namespace Tessera.Cli.Tests;

public sealed class WhenParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-12-24", "2026-12-24T00:00:00+00:00")]
    [InlineData("2026-12-24T18:30", "2026-12-24T18:30:00+00:00")]
    [InlineData("2026-12-24T18:30:15Z", "2026-12-24T18:30:15+00:00")]
    [InlineData("2026-12-24T18:30:15.5+01:00", "2026-12-24T17:30:15.5+00:00")]
    public void IsoDatesAreReadAsUtc(string text, string expected)
    {
        Assert.True(WhenParser.TryParse(text, Now, forward: true, out DateTimeOffset when, out string? error), error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), when);
        Assert.Equal(TimeSpan.Zero, when.Offset);
    }

    [Fact]
    public void DurationsCountFromNowForwardOrBack()
    {
        Assert.True(WhenParser.TryParse("2h", Now, forward: true, out DateTimeOffset until, out _));
        Assert.True(WhenParser.TryParse("7d", Now, forward: false, out DateTimeOffset since, out _));

        Assert.Equal(Now.AddHours(2), until);
        Assert.Equal(Now.AddDays(-7), since);
    }

    [Theory]
    [InlineData("tomorrow", "is not a time")]
    [InlineData("12/24/2026", "is not a time")]
    [InlineData("2h30m", "is not a time")]
    [InlineData("2026-13-45", "is not a valid date")]
    [InlineData("0h", "not a positive duration")]
    [InlineData("400d", "longer than the maximum")]
    [InlineData("", "empty")]
    public void AnythingElseIsRefusedWithTheReason(string text, string reason)
    {
        Assert.False(WhenParser.TryParse(text, Now, forward: true, out _, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
