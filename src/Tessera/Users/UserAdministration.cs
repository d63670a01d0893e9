using Tessera.OAuth;
using Tessera.Sessions;
using Tessera.Throttling;

namespace Tessera.Users;

/// <summary>
/// What an administrator does to accounts, in one place for the admin API and the CLI: find, lock,
/// unlock, disable, enable and delete a user, and see or end their sessions. Disabling and deleting
/// end every session of the user at once, so their refresh tokens stop working and their access
/// tokens are refused by <c>sid</c> wherever the revocation check runs. Auditing is the caller's (it
/// knows the actor); nothing here logs.
/// </summary>
public sealed class UserAdministration
{
    private readonly IUserStore _users;
    private readonly IUserDirectory _directory;
    private readonly SessionService _sessions;
    private readonly IConsentStore? _consents;
    private readonly TimeProvider _time;
    private readonly IThrottleStore? _throttle;
    private readonly Tessera.Passkeys.IPasskeyStore? _passkeys;

    /// <summary>
    /// Needs a user store that is also an <see cref="IUserDirectory"/> (every store Tessera ships).
    /// With <paramref name="throttle"/> (the sign-in lockout's counters), <see cref="UnlockAsync"/>
    /// also clears the automatic lockout's account-wide ceiling.
    /// </summary>
    /// <param name="users">The accounts (also an <see cref="IUserDirectory"/>).</param>
    /// <param name="sessions">Ends the sessions of a disabled or deleted account.</param>
    /// <param name="time">The clock.</param>
    /// <param name="consents">Removed with a deleted account.</param>
    /// <param name="throttle">The lockout's counters (unlock clears them).</param>
    /// <param name="passkeys">Removed with a deleted account (#16).</param>
    public UserAdministration(IUserStore users, SessionService sessions, TimeProvider time, IConsentStore? consents = null, IThrottleStore? throttle = null, Tessera.Passkeys.IPasskeyStore? passkeys = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(time);
        _users = users;
        _directory = users as IUserDirectory ?? throw new ArgumentException($"The user store {users.GetType().Name} does not implement {nameof(IUserDirectory)}.", nameof(users));
        _sessions = sessions;
        _consents = consents;
        _time = time;
        _throttle = throttle;
        _passkeys = passkeys;
    }

    /// <summary>
    /// One page of accounts; <paramref name="search"/> matches a part of the username (normalized here)
    /// or an exact id. Ids are case-sensitive while names are compared normalized, so an exact id is
    /// looked up first, as given: it is a page of its own.
    /// </summary>
    public async ValueTask<UserPage> ListAsync(string? search, string? after, int limit, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(search) && await _users.FindByIdAsync(search.Trim(), cancellationToken).ConfigureAwait(false) is { } byId)
        {
            return new UserPage(after is null ? [byId] : [], null);
        }

        return await _directory.ListAsync(
            new UserQuery
            {
                Search = string.IsNullOrWhiteSpace(search) ? null : UsernameRules.Normalize(search),
                After = after,
                Limit = Math.Clamp(limit, 1, UserQuery.MaxLimit),
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user with this id, or else with this username (normalized); <c>user_not_found</c> otherwise.</summary>
    public async ValueTask<Outcome<UserRecord>> FindAsync(string idOrUsername, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idOrUsername);
        UserRecord? user = await _users.FindByIdAsync(idOrUsername, cancellationToken).ConfigureAwait(false)
            ?? await _users.FindByNormalizedUsernameAsync(UsernameRules.Normalize(idOrUsername), cancellationToken).ConfigureAwait(false);
        return user is null ? NotFound(idOrUsername) : Outcome.Success(user);
    }

    /// <summary>No new sign-in until <paramref name="until"/> (null: until unlocked); the user's sessions go on.</summary>
    public async ValueTask<Outcome<UserRecord>> LockAsync(string userId, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        if (until is { } end && end <= Clock.Now(_time))
        {
            return Outcome.Failure<UserRecord>(TesseraErrorCodes.ValidationFailed, "The lock must end in the future.");
        }

        return await ChangeAsync(userId, () => _users.SetLockoutAsync(userId, until ?? DateTimeOffset.MaxValue, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Lifts an administrator's lock, and resets the automatic lockout's account-wide failure count
    /// (<see cref="PasswordLockout"/>), so a new device of the owner need not wait for the failure
    /// window to end. A client's own wait after its wrong passwords stays: it is that client's.
    /// </summary>
    public async ValueTask<Outcome<UserRecord>> UnlockAsync(string userId, CancellationToken cancellationToken)
    {
        Outcome<UserRecord> found = await FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return found;
        }

        await _users.SetLockoutAsync(userId, null, cancellationToken).ConfigureAwait(false);
        if (_throttle is not null)
        {
            await _throttle.ResetAsync(PasswordLockout.AccountFailuresKey(found.Value.NormalizedUsername), cancellationToken).ConfigureAwait(false);
        }

        return await FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The number of active sessions of the user (as <see cref="ListSessionsAsync"/> lists them).</summary>
    public async ValueTask<int> CountSessionsAsync(string userId, CancellationToken cancellationToken) =>
        (await _sessions.ListAsync(userId, cancellationToken).ConfigureAwait(false)).Count;

    /// <summary>Disables the account and ends every one of its sessions (<see cref="RevocationReasons.AccountDisabled"/>).</summary>
    public async ValueTask<Outcome<UserRecord>> DisableAsync(string userId, CancellationToken cancellationToken)
    {
        Outcome<UserRecord> found = await FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return found;
        }

        // Disabled first, then the sessions: a sign-in racing with this finds the account disabled,
        // and a session created just before is ended by the revocation that follows.
        if (found.Value.DisabledAt is null)
        {
            await _directory.SetDisabledAsync(userId, Clock.Now(_time), cancellationToken).ConfigureAwait(false);
        }

        await _sessions.RevokeAllAsync(userId, null, RevocationReasons.AccountDisabled, cancellationToken).ConfigureAwait(false);
        return await FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enables a disabled account; its ended sessions stay ended.</summary>
    public ValueTask<Outcome<UserRecord>> EnableAsync(string userId, CancellationToken cancellationToken) =>
        ChangeAsync(userId, async () => await _directory.SetDisabledAsync(userId, null, cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <summary>
    /// Deletes the account: ends every session (<see cref="RevocationReasons.AccountDeleted"/>),
    /// withdraws its consents, then removes the user (the name becomes free). Ended session records
    /// stay until the purge so a replayed token is told "revoked".
    /// </summary>
    public async ValueTask<Outcome<UserRecord>> DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        Outcome<UserRecord> found = await FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return found;
        }

        // Disabled first, so no sign-in can succeed between the revocation and the delete.
        await _directory.SetDisabledAsync(userId, Clock.Now(_time), cancellationToken).ConfigureAwait(false);
        await _sessions.RevokeAllAsync(userId, null, RevocationReasons.AccountDeleted, cancellationToken).ConfigureAwait(false);
        if (_consents is not null)
        {
            foreach (Consent consent in await _consents.ListAsync(userId, cancellationToken).ConfigureAwait(false))
            {
                await _consents.DeleteAsync(userId, consent.ClientId, cancellationToken).ConfigureAwait(false);
            }
        }

        // #16: a deleted account's passkeys go with it (a new account must not inherit a way in).
        if (_passkeys is not null)
        {
            await _passkeys.DeleteAllAsync(userId, cancellationToken).ConfigureAwait(false);
        }

        await _directory.DeleteAsync(userId, cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>The user's active sessions, newest first.</summary>
    public async ValueTask<Outcome<IReadOnlyList<SessionRecord>>> ListSessionsAsync(string userId, CancellationToken cancellationToken)
    {
        Outcome<UserRecord> found = await FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        return found.Succeeded
            ? Outcome.Success(await _sessions.ListAsync(userId, cancellationToken).ConfigureAwait(false))
            : Outcome.Failure<IReadOnlyList<SessionRecord>>(found.Error);
    }

    /// <summary>Ends one active session of the user (<see cref="RevocationReasons.EndedByAdmin"/>); <c>session_not_found</c> when there is none.</summary>
    public async ValueTask<TesseraError?> EndSessionAsync(string userId, string sessionId, CancellationToken cancellationToken) =>
        await _sessions.RevokeOwnAsync(userId, sessionId, RevocationReasons.EndedByAdmin, cancellationToken).ConfigureAwait(false)
            ? null
            : new TesseraError(TesseraErrorCodes.SessionNotFound, $"The user '{userId}' has no active session '{sessionId}'.");

    /// <summary>Ends every session of the user (<see cref="RevocationReasons.EndedByAdmin"/>); returns how many were active.</summary>
    public async ValueTask<Outcome<int>> EndAllSessionsAsync(string userId, CancellationToken cancellationToken)
    {
        Outcome<UserRecord> found = await FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        return found.Succeeded
            ? Outcome.Success(await _sessions.RevokeAllAsync(userId, null, RevocationReasons.EndedByAdmin, cancellationToken).ConfigureAwait(false))
            : Outcome.Failure<int>(found.Error);
    }

    private async ValueTask<Outcome<UserRecord>> ChangeAsync(string userId, Func<ValueTask> change, CancellationToken cancellationToken)
    {
        Outcome<UserRecord> found = await FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return found;
        }

        await change().ConfigureAwait(false);
        return await FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Outcome<UserRecord>> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false) is { } user ? Outcome.Success(user) : NotFound(userId);
    }

    private static Outcome<UserRecord> NotFound(string who) => Outcome.Failure<UserRecord>(TesseraErrorCodes.UserNotFound, $"No user has the id or name '{who}'.");
}
