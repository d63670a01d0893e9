using Tessera.Tokens;

namespace Tessera.Keys;

/// <summary>
/// The server's key ring: the keys that sign access tokens and ID tokens (one per configured
/// algorithm, <see cref="TesseraTokenOptions.SigningAlgorithms"/>) <em>and</em> the secret refresh tokens
/// are derived with (<see cref="SigningKeyUses.RefreshDerivation"/>), both read from an
/// <see cref="ISigningKeyStore"/> and kept in memory as a <see cref="KeyRingSnapshot"/> for
/// <see cref="TesseraTokenOptions.KeyRingRefreshInterval"/>. (The name predates the refresh secret
/// and is kept: the CLI, the server and Data Protection's purpose string use it.)
/// This class caches and refreshes the snapshot; when keys are due is <see cref="KeyRotationSchedule"/>'s
/// business, making them <see cref="KeyGenerator"/>'s, opening them <see cref="KeyDecryptor"/>'s.
/// Rotation is computed from the stored times, so every instance sharing the store reaches the same answer.
/// </summary>
public sealed class SigningKeyRing : IDisposable
{
    /// <summary>The least time between two reads of the store that <see cref="RereadAsync"/> asks for.</summary>
    public static readonly TimeSpan MinimumRereadInterval = TimeSpan.FromSeconds(1);

    private readonly ISigningKeyStore _store;
    private readonly TesseraTokenOptions _options;
    private readonly TimeProvider _time;
    private readonly KeyRotationSchedule _schedule;
    private readonly KeyGenerator _generator;
    private readonly KeyDecryptor _decryptor;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Lock _rereadGate = new();
    private KeyRingSnapshot? _snapshot;
    private DateTimeOffset _readAt;
    private DateTimeOffset _rereadAt = DateTimeOffset.MinValue;

    /// <summary>A ring over <paramref name="store"/> whose private keys <paramref name="protector"/> encrypts, rotating and publishing keys as <paramref name="options"/> say, on the clock <paramref name="time"/>. Invalid options throw <see cref="ArgumentException"/>; nothing is read from the store until first used.</summary>
    public SigningKeyRing(ISigningKeyStore store, ISecretProtector protector, TesseraTokenOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException($"Invalid token options: {problem}.", nameof(options));
        }

        _store = store;
        _options = options;
        _time = time;
        _schedule = new KeyRotationSchedule(options);
        _generator = new KeyGenerator(protector);
        _decryptor = new KeyDecryptor(protector);
    }

    /// <summary>Releases the lock that keeps two refreshes of the ring from the store from running at once.</summary>
    public void Dispose() => _refresh.Dispose();

    /// <summary>The ring as of now: creating the first key, or the next one when it is due.</summary>
    public ValueTask<KeyRingSnapshot> GetAsync(CancellationToken cancellationToken) =>
        ReadAsync(_options.KeyRingRefreshInterval, cancellationToken);

    /// <summary>
    /// The ring read from the store again, for a token whose <c>kid</c> this instance does not
    /// know: another instance sharing the store may have added that key since this one last read
    /// it (instances starting together on an empty store each make a first key; <see cref="RotateAsync(bool, CancellationToken)"/>
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

    /// <summary>
    /// Adds a new signing key for access tokens (<see cref="TesseraTokenOptions.Algorithm"/>) now,
    /// published at once and signing after <see cref="TesseraTokenOptions.KeyPublicationLead"/> (or at
    /// once when <paramref name="immediately"/>).
    /// </summary>
    public ValueTask<SigningKeyRecord> RotateAsync(bool immediately, CancellationToken cancellationToken) =>
        RotateAsync(_options.Algorithm, immediately, cancellationToken);

    /// <summary>
    /// Adds a new signing key for <paramref name="algorithm"/> now, published at once and signing after
    /// <see cref="TesseraTokenOptions.KeyPublicationLead"/> (or at once when <paramref name="immediately"/>).
    /// A key of an algorithm outside <see cref="TesseraTokenOptions.SigningAlgorithms"/> is published
    /// but signs nothing until the configuration names its algorithm.
    /// </summary>
    public async ValueTask<SigningKeyRecord> RotateAsync(string algorithm, bool immediately, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        if (!Jose.Algorithms.JwsAlgorithms.All.TryGetValue(algorithm, out Jose.Algorithms.JwsAlgorithm? row) || row.KeyType == Jose.Keys.JwkKeyType.Octet)
        {
            throw new ArgumentException($"'{algorithm}' is not an asymmetric JWS algorithm: the ring publishes its keys' public halves.", nameof(algorithm));
        }

        DateTimeOffset now = Clock.Now(_time);
        SigningKeyRecord key = _generator.SigningKey(algorithm, now, immediately ? now : now + _options.KeyPublicationLead);
        await _store.TryAddAsync(key, cancellationToken).ConfigureAwait(false);
        _snapshot = null;
        return key;
    }

    private async ValueTask<KeyRingSnapshot> ReadAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        DateTimeOffset now = Clock.Now(_time);
        if (Fresh(maxAge, now) is { } cached)
        {
            Telemetry.TesseraMetrics.CacheLookup(Telemetry.TesseraCaches.KeyRing, hit: true);
            return cached;
        }

        Telemetry.TesseraMetrics.CacheLookup(Telemetry.TesseraCaches.KeyRing, hit: false);

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(maxAge, now) is { } again)
            {
                return again;
            }

            IReadOnlyList<SigningKeyRecord> keys = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            if (await AddDueKeysAsync(keys, now, cancellationToken).ConfigureAwait(false))
            {
                keys = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            }

            _snapshot = KeyRingSnapshot.Of(_schedule.Plan(keys, now), _decryptor);
            _readAt = now;
            return _snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private KeyRingSnapshot? Fresh(TimeSpan maxAge, DateTimeOffset now) =>
        _snapshot is { } snapshot && now - _readAt < maxAge && snapshot.IsUsableAt(now) ? snapshot : null;

    /// <summary>Adds what the schedule says is due; another instance may add it first (the store keeps one).</summary>
    private async ValueTask<bool> AddDueKeysAsync(IReadOnlyList<SigningKeyRecord> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        bool added = false;
        if (_schedule.RefreshSecretDue(keys, now))
        {
            added |= await _store.TryAddAsync(_generator.RefreshSecret(now), cancellationToken).ConfigureAwait(false);
        }

        foreach ((string algorithm, DateTimeOffset activatesAt) in _schedule.SigningKeysDue(keys, now))
        {
            added |= await _store.TryAddAsync(_generator.SigningKey(algorithm, now, activatesAt), cancellationToken).ConfigureAwait(false);
        }

        return added;
    }
}
