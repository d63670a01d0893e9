using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.Tests.Http;

/// <summary>The one escaper every request-supplied value goes through before a log line (CWE-117).</summary>
public sealed class LogValueTests
{
    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (X11; Linux x86_64)")]
    [InlineData("a\r\nb", @"a\r\nb")]
    [InlineData("tab\there", @"tab\there")]
    [InlineData("esc\u001b[31mred", @"esc\u001b[31mred")]
    [InlineData("nul\0del\u007fc1\u0085", @"nul\u0000del\u007fc1\u0085")]
    [InlineData("bidi\u202eoverride\u2066isolate\u200f", @"bidi\u202eoverride\u2066isolate\u200f")]
    [InlineData("line\u2028separator", @"line\u2028separator")]
    [InlineData(@"a\r\nb", @"a\\r\\nb")]
    [InlineData("héllo ✓", "héllo ✓")]
    [InlineData("", "")]
    public void ControlCharactersBecomeEscapesAndTheRestStays(string value, string expected) =>
        Assert.Equal(expected, LogValue.Escape(value));

    [Fact]
    public void NullIsEmpty() => Assert.Equal("", LogValue.Escape(null));

    [Fact]
    public void AnOverlongValueIsCutAndSaysHowLongItWas()
    {
        string escaped = LogValue.Escape(new string('a', 10_000));

        Assert.StartsWith(new string('a', LogValue.MaximumLength), escaped, StringComparison.Ordinal);
        Assert.EndsWith("…(10000 chars)", escaped, StringComparison.Ordinal);
    }
}
