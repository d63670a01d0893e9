using System.Text;
using System.Text.Json;

namespace Tessera.Sessions;

/// <summary>
/// A session's attribute map: any JSON value per key, within the budgets of
/// <see cref="TesseraSessionOptions"/> (count, size per value, size per session). Values travel in
/// the store as text (<see cref="SessionAttributeFormat"/>), so every backend keeps them unchanged.
/// </summary>
public sealed class SessionAttributes
{
    private readonly ISessionAttributeStore _store;
    private readonly TesseraSessionOptions _options;

    /// <summary>Attribute access for the sessions of <paramref name="store"/> (which must implement <see cref="ISessionAttributeStore"/>), limited by <paramref name="options"/>.</summary>
    public SessionAttributes(ISessionStore store, TesseraSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store as ISessionAttributeStore
            ?? throw new NotSupportedException($"The session store {store.GetType().Name} does not implement {nameof(ISessionAttributeStore)}.");
        _options = options;
    }

    /// <summary>Every attribute of the session (none when the session is unknown).</summary>
    public async ValueTask<IReadOnlyDictionary<string, JsonElement>> GetAllAsync(string handle, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> stored = await _store.GetAttributesAsync(handle, cancellationToken).ConfigureAwait(false);
        return stored.ToDictionary(a => a.Key, a => SessionAttributeFormat.Decode(a.Value), StringComparer.Ordinal);
    }

    /// <summary>One attribute, or null when the session has no such key.</summary>
    public async ValueTask<JsonElement?> GetAsync(string handle, string key, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> stored = await _store.GetAttributesAsync(handle, cancellationToken).ConfigureAwait(false);
        return stored.TryGetValue(key, out string? value) ? SessionAttributeFormat.Decode(value) : null;
    }

    /// <summary>Sets one string attribute (what attributes held before they held any JSON value).</summary>
    public ValueTask<Outcome<bool>> SetAsync(string handle, string key, string? value, CancellationToken cancellationToken)
    {
        JsonElement element = default; // a null string is a missing value, as it always was
        try
        {
            if (value is not null)
            {
                element = SessionAttributeFormat.StringElement(value);
            }
        }
        catch (ArgumentException)
        {
            return ValueTask.FromResult(Outcome.Failure<bool>(TesseraErrorCodes.ValidationFailed, SessionAttributeRules.InvalidTextProblem));
        }

        return SetAsync(handle, key, element, cancellationToken);
    }

    /// <summary>
    /// Sets one attribute to any JSON value. Fails with <c>validation_failed</c> (bad key, or a value
    /// missing, too large, too deep or not valid Unicode), <c>attribute_limit_reached</c> (too many
    /// keys, or the session's size budget spent) or <c>session_not_found</c>.
    /// </summary>
    public async ValueTask<Outcome<bool>> SetAsync(string handle, string key, JsonElement value, CancellationToken cancellationToken)
    {
        if (SessionAttributeRules.KeyProblem(key) is { } keyProblem)
        {
            return Outcome.Failure<bool>(TesseraErrorCodes.ValidationFailed, keyProblem);
        }

        (string? stored, string? valueProblem) = SessionAttributeRules.Prepare(value, _options.MaxAttributeValueLength);
        if (stored is null)
        {
            return Outcome.Failure<bool>(TesseraErrorCodes.ValidationFailed, valueProblem!);
        }

        if (_options.MaxAttributeBytesPerSession > 0 && await SessionBytesAfterAsync(handle, key, stored, cancellationToken).ConfigureAwait(false) > _options.MaxAttributeBytesPerSession)
        {
            return Outcome.Failure<bool>(TesseraErrorCodes.AttributeLimitReached, $"A session's attributes hold at most {_options.MaxAttributeBytesPerSession} bytes in all.");
        }

        return await _store.SetAttributeAsync(handle, key, stored, _options.MaxAttributes, cancellationToken).ConfigureAwait(false) switch
        {
            AttributeWrite.Written => Outcome.Success(true),
            AttributeWrite.LimitReached => Outcome.Failure<bool>(TesseraErrorCodes.AttributeLimitReached, $"A session holds at most {_options.MaxAttributes} attributes."),
            _ => Outcome.Failure<bool>(TesseraErrorCodes.SessionNotFound, "The session does not exist."),
        };
    }

    /// <summary>False when there was no such attribute.</summary>
    public ValueTask<bool> RemoveAsync(string handle, string key, CancellationToken cancellationToken) =>
        _store.RemoveAttributeAsync(handle, key, cancellationToken);

    /// <summary>
    /// The UTF-8 bytes of every key and stored value once <paramref name="key"/> holds
    /// <paramref name="stored"/>. Read before the write, not in the same step: two concurrent
    /// writes may both pass, so the hard bound stays MaxAttributes × MaxAttributeValueLength.
    /// </summary>
    private async ValueTask<long> SessionBytesAfterAsync(string handle, string key, string stored, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> current = await _store.GetAttributesAsync(handle, cancellationToken).ConfigureAwait(false);
        long total = Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(stored);
        foreach ((string otherKey, string otherValue) in current)
        {
            if (!string.Equals(otherKey, key, StringComparison.Ordinal))
            {
                total += Encoding.UTF8.GetByteCount(otherKey) + Encoding.UTF8.GetByteCount(otherValue);
            }
        }

        return total;
    }
}
