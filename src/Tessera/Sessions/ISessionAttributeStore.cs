namespace Tessera.Sessions;

/// <summary>Optional capability: a small string map per session.</summary>
public interface ISessionAttributeStore
{
    ValueTask<IReadOnlyDictionary<string, string>> GetAttributesAsync(string handle, CancellationToken cancellationToken);

    /// <summary>
    /// Sets one attribute atomically; refuses a new key once the session holds
    /// <paramref name="maxAttributes"/> (replacing an existing key is always allowed).
    /// </summary>
    ValueTask<AttributeWrite> SetAttributeAsync(string handle, string key, string value, int maxAttributes, CancellationToken cancellationToken);

    /// <summary>False when there was no such attribute.</summary>
    ValueTask<bool> RemoveAttributeAsync(string handle, string key, CancellationToken cancellationToken);
}

/// <summary>What <see cref="ISessionAttributeStore.SetAttributeAsync"/> did.</summary>
public enum AttributeWrite
{
    Written,
    SessionNotFound,
    LimitReached,
}
