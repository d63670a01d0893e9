using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Telemetry;
using Tessera.Throttling;

namespace Tessera.Users;

/// <summary>
/// Who may try a password for an account now, counted in an <see cref="IThrottleStore"/> (shared by
/// a cluster when the store is). Two rules, chosen so that nobody can lock the owner out from where
/// the owner signs in (OWASP ASVS 5.0 V6.1.1 "prevent malicious account lockout", V6.3.1):
/// <list type="number">
/// <item><b>Per account and client</b>: after <see cref="LockoutOptions.MaxFailedAttempts"/> wrong
/// passwords from one client (its rate-limit partition: an address, an IPv6 /64), that client waits
/// <see cref="LockoutOptions.FirstDelay"/>, and each further failure doubles the wait up to
/// <see cref="LockoutOptions.MaxDelay"/>: NIST SP 800-63B §5.2.2's "wait following a failed attempt
/// for a period of time that increases". Failures elsewhere do not touch this client's count.</item>
/// <item><b>Account-wide ceiling</b>: NIST SP 800-63B §5.2.2 caps failed attempts on one account at
/// 100. Past <see cref="LockoutOptions.AccountFailureLimit"/> failures from all clients in
/// <see cref="LockoutOptions.FailureWindow"/>, only a client that signed in to the account within
/// <see cref="LockoutOptions.KnownClientLifetime"/> may try (§5.2.2's "accepting only authentication
/// requests that come from … IP addresses from which the subscriber has been successfully
/// authenticated before"). A distributed attack thus stops at the ceiling while the owner's usual
/// device goes on signing in; only a new device waits for the window to end.</item>
/// </list>
/// Counters are kept per account <em>name</em>, known or not, so unknown names behave exactly like
/// real ones. Once a client has failed, one attempt at a time per account and client: a burst of
/// parallel guesses cannot slip in before the wait is written (the <c>slot</c> counter is taken
/// atomically; the wait is its own counter).
/// </summary>
public sealed partial class PasswordLockout
{
    // How long a slot stays taken if the attempt never finishes (a crash between take and release).
    private static readonly TimeSpan SlotHold = TimeSpan.FromMinutes(1);

    private readonly IThrottleStore _store;
    private readonly LockoutOptions _options;
    private readonly ILogger _logger;
    private readonly SecurityEvents _events;

    /// <summary>Lockout counting in <paramref name="store"/> (shared by every instance when it is), with the thresholds of <paramref name="options"/>; <paramref name="logger"/> records lockouts.</summary>
    /// <param name="store">Where the counters live (shared by a cluster when it is Redis).</param>
    /// <param name="options">The thresholds and delays.</param>
    /// <param name="logger">Records lockouts.</param>
    /// <param name="events">Where a lockout that starts is counted and audited (<c>signin.locked_out</c>).</param>
    public PasswordLockout(IThrottleStore store, LockoutOptions options, ILogger? logger = null, SecurityEvents? events = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _events = events ?? SecurityEvents.MetricsOnly;
    }

    /// <summary>The thresholds and delays in force.</summary>
    public LockoutOptions Options => _options;

    /// <summary>
    /// Asks whether <paramref name="client"/> may try a password for <paramref name="normalizedUsername"/>
    /// now. An open attempt holds the client's slot until <see cref="FailedAsync"/>,
    /// <see cref="SucceededAsync"/> or <see cref="AbandonAsync"/>.
    /// </summary>
    public async ValueTask<PasswordAttempt> BeginAsync(string normalizedUsername, string client, CancellationToken cancellationToken)
    {
        var keys = new Keys(normalizedUsername, client);
        if (!_options.Enabled)
        {
            return new PasswordAttempt(keys, LockedUntil: null);
        }

        if (_options.AccountFailureLimit > 0)
        {
            ThrottleCount accountFailures = await _store.ReadAsync(keys.AccountFailures, cancellationToken).ConfigureAwait(false);
            if (accountFailures.Count >= _options.AccountFailureLimit && !await IsKnownAsync(keys, cancellationToken).ConfigureAwait(false))
            {
                return new PasswordAttempt(keys, accountFailures.WindowEndsAt);
            }
        }

        // Once a client has failed, its attempts go one at a time: of several at once, one finds the
        // slot free (the increment is atomic). The wait is read after the slot is taken and written
        // before it is released, so no attempt slips in between. A client without failures is not
        // serialized (parallel sign-ins of one service account stay possible); a burst from it is
        // counted in full and earns the longer waits.
        bool holdsSlot = false;
        if ((await _store.ReadAsync(keys.ClientFailures, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            ThrottleCount slot = await _store.IncrementAsync(keys.Slot, SlotHold, 1, cancellationToken).ConfigureAwait(false);
            if (slot.Count > 1)
            {
                return new PasswordAttempt(keys, slot.WindowEndsAt);
            }

            holdsSlot = true;
        }

        ThrottleCount wait;
        try
        {
            wait = await _store.ReadAsync(keys.Wait, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ReleaseAsync(keys, holdsSlot).ConfigureAwait(false);
            throw;
        }

        if (wait.Count > 0)
        {
            await ReleaseAsync(keys, holdsSlot).ConfigureAwait(false);
            return new PasswordAttempt(keys, wait.WindowEndsAt);
        }

        return new PasswordAttempt(keys, LockedUntil: null) { HoldsSlot = holdsSlot };
    }

    /// <summary>A wrong password: counts it, and makes the client wait once it has used its free failures.</summary>
    public async ValueTask FailedAsync(PasswordAttempt attempt, CancellationToken cancellationToken)
    {
        if (!_options.Enabled || attempt.Locked)
        {
            return;
        }

        Keys keys = attempt.Keys;
        try
        {
            ThrottleCount failures = await _store.IncrementAsync(keys.ClientFailures, _options.FailureWindow, 1, cancellationToken).ConfigureAwait(false);
            if (_options.AccountFailureLimit > 0)
            {
                ThrottleCount accountFailures = await _store.IncrementAsync(keys.AccountFailures, _options.FailureWindow, 1, cancellationToken).ConfigureAwait(false);
                if (accountFailures.Count == _options.AccountFailureLimit)
                {
                    LogAccountCeiling(_logger, keys.Account, accountFailures.Count, accountFailures.WindowEndsAt);
                    await _events.LockedOutAsync(attempt.UserId, keys.Account, keys.Client, "account").ConfigureAwait(false);
                }
            }

            if (failures.Count >= _options.MaxFailedAttempts)
            {
                // Only the slot's holder writes the wait: a window of the delay's length.
                TimeSpan delay = DelayAfter(failures.Count, _options);
                await _store.ResetAsync(keys.Wait, cancellationToken).ConfigureAwait(false);
                ThrottleCount wait = await _store.IncrementAsync(keys.Wait, delay, 1, cancellationToken).ConfigureAwait(false);
                LogClientWaits(_logger, keys.Account, failures.Count, delay, wait.WindowEndsAt);
                if (failures.Count == _options.MaxFailedAttempts)
                {
                    // The lockout starts; the longer waits after it are the same lockout going on.
                    await _events.LockedOutAsync(attempt.UserId, keys.Account, keys.Client, "client").ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // Whatever failed above (a store outage), the slot is not left held for its whole SlotHold.
            await ReleaseAsync(keys, attempt.HoldsSlot).ConfigureAwait(false);
        }
    }

    /// <summary>A right password: the client's failures are forgotten and it becomes known to the account.</summary>
    public async ValueTask SucceededAsync(PasswordAttempt attempt, CancellationToken cancellationToken)
    {
        if (!_options.Enabled || attempt.Locked)
        {
            return;
        }

        Keys keys = attempt.Keys;
        try
        {
            await _store.ResetAsync(keys.ClientFailures, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(keys, attempt.HoldsSlot).ConfigureAwait(false);
        }

        // Re-opened so the window counts from this sign-in, not the first one.
        await _store.ResetAsync(keys.KnownClient, cancellationToken).ConfigureAwait(false);
        await _store.IncrementAsync(keys.KnownClient, _options.KnownClientLifetime, 1, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The check did not finish (cancelled, hashing busy): the slot is released, nothing counted.</summary>
    public ValueTask AbandonAsync(PasswordAttempt attempt) => ReleaseAsync(attempt.Keys, attempt.HoldsSlot);

    /// <summary>
    /// Whether <paramref name="client"/> signed in to <paramref name="normalizedUsername"/> within
    /// <see cref="LockoutOptions.KnownClientLifetime"/>: such a client is spared the account-wide
    /// ceiling and the per-account rate limit, which others could otherwise use to keep the owner out.
    /// </summary>
    public ValueTask<bool> IsKnownClientAsync(string normalizedUsername, string client, CancellationToken cancellationToken) =>
        _options.Enabled ? IsKnownAsync(new Keys(normalizedUsername, client), cancellationToken) : ValueTask.FromResult(false);

    /// <summary>
    /// The key of the account-wide failure count (the ceiling) of <paramref name="normalizedUsername"/>:
    /// an administrator's unlock resets it (<see cref="UserAdministration.UnlockAsync"/>), so every
    /// client may try again at once.
    /// </summary>
    public static string AccountFailuresKey(string normalizedUsername) => new Keys(normalizedUsername, "-").AccountFailures;

    /// <summary>The wait after the <paramref name="failures"/>-th failure of a client (none before <see cref="LockoutOptions.MaxFailedAttempts"/>).</summary>
    public static TimeSpan DelayAfter(long failures, LockoutOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled || failures < options.MaxFailedAttempts)
        {
            return TimeSpan.Zero;
        }

        // 2^30 first delays exceed any sane cap; stop doubling there instead of overflowing.
        long doublings = Math.Min(failures - options.MaxFailedAttempts, 30);
        double ticks = options.FirstDelay.Ticks * Math.Pow(2, doublings);
        return ticks >= options.MaxDelay.Ticks ? options.MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    // Never cancelled: a slot left taken would refuse the client's next attempt for SlotHold.
    private ValueTask ReleaseAsync(Keys keys, bool holdsSlot) =>
        holdsSlot ? _store.ResetAsync(keys.Slot, CancellationToken.None) : ValueTask.CompletedTask;

    private async ValueTask<bool> IsKnownAsync(Keys keys, CancellationToken cancellationToken) =>
        (await _store.ReadAsync(keys.KnownClient, cancellationToken).ConfigureAwait(false)).Count > 0;

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Account {Account}: one client locked out for {Delay} after {Failures} wrong passwords, until {Until:O}")]
    private static partial void LogClientWaits(ILogger logger, string account, long failures, TimeSpan delay, DateTimeOffset until);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Account {Account}: {Failures} wrong passwords from all clients; only clients it signed in from may try until {Until:O}")]
    private static partial void LogAccountCeiling(ILogger logger, string account, long failures, DateTimeOffset until);

    /// <summary>
    /// The counters' keys. The account is named by a digest of its normalized name: fixed length, and
    /// no usernames in a shared store's key list (they are personal data, often a mistyped password).
    /// </summary>
    public readonly record struct Keys
    {
        private const string Prefix = "tessera:pw:";

        /// <summary>The keys for attempts on the account <paramref name="normalizedUsername"/> from <paramref name="client"/> (an address or another client identifier).</summary>
        public Keys(string normalizedUsername, string client)
        {
            ArgumentNullException.ThrowIfNull(normalizedUsername);
            ArgumentException.ThrowIfNullOrEmpty(client);
            Account = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedUsername)).AsSpan(0, 16));
            Client = client;
            ClientFailures = $"{Prefix}fail:{Account}:{client}";
            Slot = $"{Prefix}slot:{Account}:{client}";
            Wait = $"{Prefix}wait:{Account}:{client}";
            KnownClient = $"{Prefix}known:{Account}:{client}";
            AccountFailures = $"{Prefix}fail:{Account}";
        }

        /// <summary>The account's digest, also what the log names.</summary>
        public string Account { get; }

        /// <summary>The client's rate-limit partition (an address or an IPv6 /64).</summary>
        public string Client { get; }

        /// <summary>Counts this client's failures on this account.</summary>
        public string ClientFailures { get; }

        /// <summary>Taken by the attempt in progress.</summary>
        public string Slot { get; }

        /// <summary>Present while the client must wait.</summary>
        public string Wait { get; }

        /// <summary>Present once this client signed in to this account: a known client keeps its own budget while others are locked out.</summary>
        public string KnownClient { get; }

        /// <summary>Counts the account's failures from every client.</summary>
        public string AccountFailures { get; }
    }
}

/// <summary>One password attempt of a client on an account; <see cref="Locked"/> until <see cref="LockedUntil"/> when it must not be tried.</summary>
public readonly record struct PasswordAttempt(PasswordLockout.Keys Keys, DateTimeOffset? LockedUntil)
{
    /// <summary>True when the attempt must not be tried before <see cref="LockedUntil"/>.</summary>
    public bool Locked => LockedUntil is not null;

    /// <summary>This attempt took the client's slot and must release it when it ends.</summary>
    public bool HoldsSlot { get; init; }

    /// <summary>The account's id when the name is an account's (for the audit of a lockout), null otherwise.</summary>
    public string? UserId { get; init; }
}
