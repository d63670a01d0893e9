namespace Tessera.Stores;

/// <summary>A store that can say whether it answers (health endpoints call it).</summary>
public interface IStoreHealthProbe
{
    /// <summary>A short name for logs and health output, such as <c>sqlite</c>.</summary>
    string Name { get; }

    /// <summary>Completes when the store answered; throws <see cref="StoreUnavailableException"/> when it did not.</summary>
    ValueTask ProbeAsync(CancellationToken cancellationToken);
}
