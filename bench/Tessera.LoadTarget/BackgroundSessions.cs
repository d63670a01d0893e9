namespace Tessera.LoadTarget;

/// <summary>Fills a store with other users' sessions before the run, a few at a time.</summary>
public static class BackgroundSessions
{
    private const int Parallelism = 16;

    public static async Task CreateAsync<T>(int count, Func<string, CancellationToken, ValueTask<T>> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, ct) =>
            await create("background-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), ct));
    }
}
