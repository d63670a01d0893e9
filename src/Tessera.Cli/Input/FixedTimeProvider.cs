namespace Tessera.Cli.Input;

/// <summary>A clock that always reads the same instant: what <c>--now</c> installs.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
