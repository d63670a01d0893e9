using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tessera.Jose.Keys;
using Tessera.Tokens;

namespace Tessera.Keys;

/// <summary>
/// The signing keys, read from an <see cref="ISigningKeyStore"/> and kept in memory for
/// <see cref="TesseraTokenOptions.KeyRingRefreshInterval"/>. Rotation is computed from the stored
/// times, so every instance sharing the store reaches the same answer:
/// <list type="bullet">
/// <item>the current signing key is the newest whose <c>ActivatesAt</c> has passed and that was not retired;</item>
/// <item>a new key is added <see cref="TesseraTokenOptions.KeyPublicationLead"/> before the current one is
/// <see cref="TesseraTokenOptions.KeyRotationInterval"/> old, and is published from then on, before it signs;</item>
/// <item>a key that stopped signing stays published until every access token it signed has expired.</item>
/// </list>
/// </summary>
public sealed class SigningKeyRing : IDisposable
{
    private readonly ISigningKeyStore _store;
    private readonly ISecretProtector _protector;
    private readonly TesseraTokenOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Dictionary<string, Jwk> _unprotected = new(StringComparer.Ordinal);
    private KeyRingSnapshot? _snapshot;
    private DateTimeOffset _readAt;
    private readonly Lock _rereadGate = new();
    private DateTimeOffset _rereadAt = DateTimeOffset.MinValue;

    public SigningKeyRing(ISigningKeyStore store, ISecretProtector protector, TesseraTokenOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException($"Invalid token options: {problem}.", nameof(options));
        }

        _store = store;
        _protector = protector;
        _options = options;
        _time = time;
    }

    public void Dispose() => _refresh.Dispose();

    /// <summary>The ring as of now: creating the first key, or the next one when it is due.</summary>
    public ValueTask<KeyRingSnapshot> GetAsync(CancellationToken cancellationToken) =>
        ReadAsync(_options.KeyRingRefreshInterval, cancellationToken);

    /// <summary>
    /// The ring read from the store again, for a token whose <c>kid</c> this instance does not
    /// know: another instance sharing the store may have added that key since this one last read
    /// it (instances starting together on an empty store each make a first key; <see cref="RotateAsync"/>
    /// with <c>immediately</c> signs at once), and waiting for the next scheduled read would refuse
    /// its tokens meanwhile. At most one such read per <see cref="MinimumRereadInterval"/>, so
    /// tokens with made-up <c>kid</c>s cannot turn into a stream of store reads.
    /// </summary>
    public ValueTask<KeyRingSnapshot> RereadAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = Clock.Now(_time);
        lock (_rereadGate)
        {
            if (now - _rereadAt < MinimumRereadInterval)
            {
                return GetAsync(cancellationToken);
            }

            _rereadAt = now;
        }

        return ReadAsync(TimeSpan.Zero, cancellationToken);
    }

    /// <summary>The least time between two reads of the store that <see cref="RereadAsync"/> asks for.</summary>
    public static readonly TimeSpan MinimumRereadInterval = TimeSpan.FromSeconds(1);

    private async ValueTask<KeyRingSnapshot> ReadAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        DateTimeOffset now = Clock.Now(_time);
        if (_snapshot is { } cached && now - _readAt < maxAge && cached.IsUsableAt(now))
        {
            return cached;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_snapshot is { } again && now - _readAt < maxAge && again.IsUsableAt(now))
            {
                return again;
            }

            IReadOnlyList<SigningKeyRecord> keys = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            if (await AddDueKeysAsync(keys, now, cancellationToken).ConfigureAwait(false))
            {
                keys = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            }

            _snapshot = Build(keys, now);
            _readAt = now;
            return _snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>
    /// Adds a new signing key now, published at once and signing after
    /// <see cref="TesseraTokenOptions.KeyPublicationLead"/> (or at once when <paramref name="immediately"/>).
    /// </summary>
    public async ValueTask<SigningKeyRecord> RotateAsync(bool immediately, CancellationToken cancellationToken)
    {
        DateTimeOffset now = Clock.Now(_time);
        SigningKeyRecord key = NewSigningKey(now, immediately ? now : now + _options.KeyPublicationLead);
        await _store.TryAddAsync(key, cancellationToken).ConfigureAwait(false);
        _snapshot = null;
        return key;
    }

    private async ValueTask<bool> AddDueKeysAsync(IReadOnlyList<SigningKeyRecord> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        bool added = false;
        // The refresh secret rotates on the signing keys' schedule: whoever obtains it and an old
        // refresh token can compute that session's later tokens only until the next rotation.
        if (RefreshSecrets(keys).FirstOrDefault() is not { } secret || secret.CreatedAt + _options.KeyRotationInterval <= now)
        {
            added |= await _store.TryAddAsync(NewRefreshSecret(now), cancellationToken).ConfigureAwait(false);
        }

        SigningKeyRecord[] signing = [.. keys.Where(k => k.Use == SigningKeyUses.Signing && k.RetiresAt is null && string.Equals(k.Algorithm, _options.Algorithm, StringComparison.Ordinal))];
        if (!signing.Any(k => k.ActivatesAt <= now))
        {
            // Nothing can sign yet (first start, a changed algorithm, or every key retired by hand): sign at once.
            added |= await _store.TryAddAsync(NewSigningKey(now, now), cancellationToken).ConfigureAwait(false);
        }
        else if (signing.Max(k => k.ActivatesAt) + _options.KeyRotationInterval - _options.KeyPublicationLead <= now)
        {
            // The newest key (active or waiting) is due for a successor: publish it now, sign with it later.
            added |= await _store.TryAddAsync(NewSigningKey(now, now + _options.KeyPublicationLead), cancellationToken).ConfigureAwait(false);
        }

        return added;
    }

    private KeyRingSnapshot Build(IReadOnlyList<SigningKeyRecord> keys, DateTimeOffset now)
    {
        SigningKeyRecord[] refresh = [.. RefreshSecrets(keys).Take(2)];
        if (refresh.Length == 0)
        {
            throw new InvalidOperationException("The key store holds no refresh secret.");
        }

        // The signing keys in activation order; each signs until the next one activates.
        SigningKeyRecord[] signing = [.. keys.Where(k => k.Use == SigningKeyUses.Signing)
            .OrderBy(k => k.ActivatesAt).ThenBy(k => k.KeyId, StringComparer.Ordinal)];
        SigningKeyRecord? current = signing.LastOrDefault(k => k.ActivatesAt <= now && k.RetiresAt is null
            && string.Equals(k.Algorithm, _options.Algorithm, StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The key store holds no usable signing key.");

        var published = new List<Jwk>();
        DateTimeOffset nextChange = now + _options.KeyRingRefreshInterval;
        foreach (SigningKeyRecord key in signing)
        {
            DateTimeOffset? stoppedSigning = StopsSigning(key, signing, current, now);
            DateTimeOffset? unpublishedAt = stoppedSigning + _options.AccessTokenLifetime + TimeSpan.FromMinutes(1);
            if (unpublishedAt is { } end)
            {
                if (end <= now)
                {
                    continue;
                }

                // Rebuild when this key leaves the JWKS, not a cache interval later.
                nextChange = end < nextChange ? end : nextChange;
            }

            published.Add(Jwk.Parse(key.PublicJwk!));
        }

        DateTimeOffset? waiting = signing.Where(k => k.ActivatesAt > now && k.RetiresAt is null).Select(k => (DateTimeOffset?)k.ActivatesAt).Min();
        if (waiting < nextChange)
        {
            nextChange = waiting.Value;
        }

        // Decrypted when first needed: publishing the JWKS needs no private key, so it keeps working
        // (and tokens keep verifying) while a key this instance cannot decrypt blocks only signing.
        SigningKeyRecord secret = refresh[0];
        SigningKeyRecord? before = refresh.Length > 1 ? refresh[1] : null;
        return new KeyRingSnapshot(
            new Lazy<Jwk>(() => Unprotect(current)),
            new JwkSet(published),
            new Lazy<byte[]>(() => UnprotectSecret(secret)),
            new Lazy<byte[]?>(() => before is null ? null : TryUnprotectSecret(before)),
            nextChange);
    }

    /// <summary>
    /// The secret before the newest still answers the grace window of a rotation it derived (possibly
    /// on another instance that had not read the newer one yet); unreadable, it is skipped.
    /// </summary>
    private byte[]? TryUnprotectSecret(SigningKeyRecord key)
    {
        try
        {
            return UnprotectSecret(key);
        }
        catch (KeyRingUnavailableException)
        {
            return null;
        }
    }

    /// <summary>The refresh secrets in use, newest first (the first derives new tokens).</summary>
    private static IEnumerable<SigningKeyRecord> RefreshSecrets(IReadOnlyList<SigningKeyRecord> keys) =>
        keys.Where(k => k.Use == SigningKeyUses.RefreshDerivation && k.RetiresAt is null)
            .OrderByDescending(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal);

    private byte[] UnprotectSecret(SigningKeyRecord key) => Convert.FromBase64String(UnprotectText(key));

    private string UnprotectText(SigningKeyRecord key)
    {
        try
        {
            return _protector.Unprotect(key.ProtectedPrivate);
        }
        catch (CryptographicException ex)
        {
            throw KeyRingUnavailableException.For(key, ex);
        }
    }

    private static DateTimeOffset? StopsSigning(SigningKeyRecord key, SigningKeyRecord[] ordered, SigningKeyRecord current, DateTimeOffset now)
    {
        if (key == current || key.ActivatesAt > now)
        {
            return null; // signing now, or not yet: published either way
        }

        // Retired by hand, else superseded when the next key activated.
        return key.RetiresAt ?? ordered.Skip(Array.IndexOf(ordered, key) + 1)
            .Where(k => k.ActivatesAt <= now).Select(k => k.ActivatesAt).DefaultIfEmpty(current.ActivatesAt).First();
    }

    private Jwk Unprotect(SigningKeyRecord key)
    {
        lock (_unprotected)
        {
            if (!_unprotected.TryGetValue(key.KeyId, out Jwk? jwk))
            {
                jwk = Jwk.Parse(UnprotectText(key));
                _unprotected[key.KeyId] = jwk;
            }

            return jwk;
        }
    }

    private SigningKeyRecord NewSigningKey(DateTimeOffset now, DateTimeOffset activatesAt)
    {
        Jwk generated = Jwk.Generate(_options.Algorithm);
        string kid = generated.Thumbprint;
        // Write the thumbprint as the kid (RFC 7638 §1), so tokens and the JWKS name the key the same way.
        JsonObject withKid = JsonNode.Parse(generated.ToJson(includePrivate: true))!.AsObject();
        withKid["kid"] = kid;
        withKid["alg"] = _options.Algorithm;
        withKid["use"] = "sig";
        Jwk key = Jwk.Parse(withKid.ToJsonString());
        return new SigningKeyRecord
        {
            KeyId = kid,
            Use = SigningKeyUses.Signing,
            Algorithm = _options.Algorithm,
            PublicJwk = key.ToPublicJwk().ToJson(),
            ProtectedPrivate = _protector.Protect(key.ToJson(includePrivate: true)),
            CreatedAt = now,
            ActivatesAt = activatesAt,
        };
    }

    private SigningKeyRecord NewRefreshSecret(DateTimeOffset now)
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        try
        {
            return new SigningKeyRecord
            {
                KeyId = RandomIds.New128(),
                Use = SigningKeyUses.RefreshDerivation,
                Algorithm = "HS256",
                ProtectedPrivate = _protector.Protect(Convert.ToBase64String(secret)),
                CreatedAt = now,
                ActivatesAt = now,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}

/// <summary>The ring at one moment: the key that signs, the public keys that verify, the refresh secrets.</summary>
public sealed class KeyRingSnapshot
{
    private readonly Lazy<Jwk> _signingKey;
    private readonly Lazy<byte[]> _refreshSecret;
    private readonly Lazy<byte[]?> _previousRefreshSecret;

    internal KeyRingSnapshot(Lazy<Jwk> signingKey, JwkSet published, Lazy<byte[]> refreshSecret, Lazy<byte[]?> previousRefreshSecret, DateTimeOffset validUntil)
    {
        _signingKey = signingKey;
        Published = published;
        _refreshSecret = refreshSecret;
        _previousRefreshSecret = previousRefreshSecret;
        ValidUntil = validUntil;
    }

    /// <summary>The private key that signs access tokens now; throws <see cref="KeyRingUnavailableException"/> when it cannot be decrypted.</summary>
    public Jwk SigningKey => _signingKey.Value;

    /// <summary>The public keys of the JWKS: the current key, the next one, and retired ones whose tokens may still be live.</summary>
    public JwkSet Published { get; }

    /// <summary>The secret new refresh tokens are derived with; throws <see cref="KeyRingUnavailableException"/> when it cannot be decrypted.</summary>
    internal byte[] RefreshSecret => _refreshSecret.Value;

    /// <summary>The refresh secret before <see cref="RefreshSecret"/>, when there is one and it is readable.</summary>
    internal byte[]? PreviousRefreshSecret => _previousRefreshSecret.Value;

    /// <summary>When the snapshot must be rebuilt at the latest (a waiting key activates).</summary>
    public DateTimeOffset ValidUntil { get; }

    internal bool IsUsableAt(DateTimeOffset now) => now < ValidUntil;

    /// <summary>Decrypts what signing and refreshing need now, so that an unreadable ring fails here.</summary>
    public void EnsureReadable()
    {
        _ = SigningKey;
        _ = RefreshSecret;
    }
}
