namespace Tessera.Redis.Tests;

/// <summary>
/// A measurement, not a check: it runs only when <c>TESSERA_MEASURE=1</c> is set (it writes a
/// hundred thousand sessions), and is reported as skipped otherwise.
/// </summary>
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("TESSERA_MEASURE") != "1")
        {
            Skip = "A measurement: run with TESSERA_MEASURE=1 (see docs/server.md, Redis session store).";
        }
    }
}
