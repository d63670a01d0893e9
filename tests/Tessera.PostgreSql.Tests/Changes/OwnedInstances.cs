namespace Tessera.PostgreSql.Tests.Changes;

/// <summary>
/// What a test opens for its server instances (feeds, near caches, key rings), disposed after the
/// test in the reverse order, before the temporary database they use is dropped.
/// </summary>
internal sealed class OwnedInstances : IAsyncDisposable
{
    private readonly List<object> _owned = [];

    /// <summary>Disposes <paramref name="owned"/> after the test; returns it.</summary>
    public T Own<T>(T owned)
        where T : class
    {
        if (owned is not (IAsyncDisposable or IDisposable))
        {
            throw new ArgumentException($"{owned.GetType().Name} is not disposable.", nameof(owned));
        }

        _owned.Add(owned);
        return owned;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (object owned in Enumerable.Reverse(_owned))
        {
            if (owned is IAsyncDisposable asynchronous)
            {
                await asynchronous.DisposeAsync();
            }
            else
            {
                ((IDisposable)owned).Dispose();
            }
        }

        _owned.Clear();
    }
}
