namespace Tessera.Sessions;

/// <summary>Optional capability: delete records nobody can use any more.</summary>
public interface ISessionCleanup
{
    /// <summary>
    /// Deletes sessions (and their attributes) that expired or were revoked before
    /// <paramref name="cutoff"/>; returns how many.
    /// </summary>
    ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
