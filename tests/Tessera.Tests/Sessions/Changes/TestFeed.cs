using Tessera.Sessions.Changes;

namespace Tessera.Tests.Sessions.Changes;

/// <summary>An in-process feed the test drives by hand: the store's side of the contract, played by the test.</summary>
internal sealed class TestFeed(TimeSpan staleness) : ISessionChangeFeed
{
    private readonly List<ISessionChangeListener> _listeners = [];

    public bool IsConnected { get; private set; }

    public TimeSpan Staleness => staleness;

    public IDisposable Subscribe(ISessionChangeListener listener)
    {
        _listeners.Add(listener);
        if (IsConnected)
        {
            listener.OnReset();
        }

        return new Unsubscribe(() => _listeners.Remove(listener));
    }

    public ValueTask PublishAsync(SessionChange change, CancellationToken cancellationToken)
    {
        Push(change);
        return ValueTask.CompletedTask;
    }

    public void Connect()
    {
        IsConnected = true;
        _listeners.ForEach(l => l.OnReset());
    }

    public void Disconnect()
    {
        IsConnected = false;
        _listeners.ForEach(l => l.OnDisconnected());
    }

    public void Push(SessionChange change) => _listeners.ForEach(l => l.OnChange(change));

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
