using Tessera.OAuth;

namespace Tessera.InMemory;

/// <summary>Authorization codes in process memory: tests and single-process experiments.</summary>
public sealed class InMemoryAuthorizationCodeStore : IAuthorizationCodeStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask CreateAsync(AuthorizationCode code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_codes.TryAdd(Key(code.CodeHash), code))
            {
                throw new InvalidOperationException("An authorization code with this hash already exists.");
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<AuthorizationCode?> TryRedeemAsync(ReadOnlyMemory<byte> codeHash, DateTimeOffset redeemedAt, string issuedSessionHandle, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            string key = Key(codeHash);
            if (!_codes.TryGetValue(key, out AuthorizationCode? stored))
            {
                return ValueTask.FromResult<AuthorizationCode?>(null);
            }

            if (stored.RedeemedAt is null)
            {
                _codes[key] = stored with { RedeemedAt = redeemedAt, IssuedSessionHandle = issuedSessionHandle };
            }

            return ValueTask.FromResult<AuthorizationCode?>(stored);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            string[] expired = [.. _codes.Where(c => c.Value.ExpiresAt < before).Select(c => c.Key)];
            foreach (string key in expired)
            {
                _codes.Remove(key);
            }

            return ValueTask.FromResult(expired.Length);
        }
    }

    private static string Key(ReadOnlyMemory<byte> hash) => Convert.ToHexString(hash.Span);
}
