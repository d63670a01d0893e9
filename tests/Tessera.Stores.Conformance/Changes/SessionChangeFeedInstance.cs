using Tessera.Sessions;
using Tessera.Sessions.Changes;

namespace Tessera.Stores.Conformance.Changes;

/// <summary>
/// One server instance's view of a shared backend, as <see cref="SessionChangeFeedConformanceTests"/>
/// opens it: a session store and a change feed with their own connections, so two instances talk
/// to each other only through the backend. <paramref name="release"/> closes what the backend's
/// test project opened for it (the feed's listening connection, the store's pool).
/// </summary>
/// <param name="store">The instance's session store: the writes the tests make go through it.</param>
/// <param name="feed">The instance's feed: the tests subscribe through it.</param>
/// <param name="release">Closes the instance; called once by the suite at the end of the test.</param>
public sealed class SessionChangeFeedInstance(ISessionStore store, ISessionChangeFeed feed, Func<ValueTask> release) : IAsyncDisposable
{
    private int _released;

    /// <summary>The instance's session store.</summary>
    public ISessionStore Store { get; } = store;

    /// <summary>The instance's change feed.</summary>
    public ISessionChangeFeed Feed { get; } = feed;

    /// <summary>Closes the instance (once).</summary>
    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _released, 1) == 0 ? release() : ValueTask.CompletedTask;
}
