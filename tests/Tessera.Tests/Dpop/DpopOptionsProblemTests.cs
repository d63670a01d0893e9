using Tessera.Dpop;
using Tessera.Replay;

namespace Tessera.Tests.Dpop;

/// <summary>
/// <see cref="TesseraDpopOptions.Problem"/>: settings that would fail every DPoP request at run time are
/// refused at startup. A proof's jti is marked for MaxAge + ClockSkew (RFC 9449 §11.1) and the replay
/// stores take marks of at most <see cref="ReplayMarkLifetime.Longest"/>: a longer window turned every
/// DPoP request into a 500 (an ArgumentOutOfRangeException from the store) instead of a startup error.
/// </summary>
public sealed class DpopOptionsProblemTests
{
    [Fact]
    public void TheDefaultsHaveNoProblem() => Assert.Null(new TesseraDpopOptions().Problem());

    [Fact]
    public void AWindowUpToTheLongestMarkIsAccepted() =>
        Assert.Null(new TesseraDpopOptions { MaxAge = ReplayMarkLifetime.Longest - TimeSpan.FromMinutes(1), ClockSkew = TimeSpan.FromMinutes(1) }.Problem());

    [Theory]
    [InlineData(24 * 60, 1)]
    [InlineData(7 * 24 * 60, 0)]
    public void AWindowLongerThanTheLongestMarkIsRefused(int maxAgeMinutes, int clockSkewMinutes)
    {
        string? problem = new TesseraDpopOptions { MaxAge = TimeSpan.FromMinutes(maxAgeMinutes), ClockSkew = TimeSpan.FromMinutes(clockSkewMinutes) }.Problem();

        Assert.NotNull(problem);
        Assert.Contains("MaxAge plus ClockSkew", problem, StringComparison.Ordinal);
    }
}
