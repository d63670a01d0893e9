namespace Tessera.Sessions;

/// <summary>
/// Optional capability: a small map of texts per session. The store keeps each value as opaque text;
/// <see cref="SessionAttributes"/> puts any JSON value into that text (<see cref="SessionAttributeFormat"/>)
/// and checks the budgets, so a backend needs no JSON type of its own.
/// </summary>
public interface ISessionAttributeStore
{
    /// <summary>The attributes of session <paramref name="handle"/>; empty when it has none or does not exist.</summary>
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
    /// <summary>The attribute was stored.</summary>
    Written,
    /// <summary>No such session (or it ended): nothing was stored.</summary>
    SessionNotFound,
    /// <summary>The session already has the maximum number of attributes and this key is new: nothing was stored.</summary>
    LimitReached,
}
