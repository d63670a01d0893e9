namespace Tessera.Users;

/// <summary>
/// Optional capability of a user store: what administration needs beyond sign-in (list and search
/// accounts, disable, delete). Every store Tessera ships implements it; the conformance suite checks it.
/// </summary>
public interface IUserDirectory
{
    /// <summary>One page of accounts in normalized-username order, filtered by <paramref name="query"/>.</summary>
    ValueTask<UserPage> ListAsync(UserQuery query, CancellationToken cancellationToken);

    /// <summary>Sets (or clears, with null) <see cref="UserRecord.DisabledAt"/>; false when the user does not exist.</summary>
    ValueTask<bool> SetDisabledAsync(string userId, DateTimeOffset? disabledAt, CancellationToken cancellationToken);

    /// <summary>Removes the account for good (its name becomes free); false when it did not exist. Sessions and consents are the caller's (see <see cref="UserAdministration.DeleteAsync"/>).</summary>
    ValueTask<bool> DeleteAsync(string userId, CancellationToken cancellationToken);
}

/// <summary>A filter and a page over the accounts.</summary>
public sealed record UserQuery
{
    /// <summary>The most accounts one page may hold.</summary>
    public const int MaxLimit = 500;

    /// <summary>
    /// Accounts whose normalized username contains this text (normalized the same way by the
    /// caller, see <see cref="UsernameRules.Normalize"/>), or whose id is exactly this; null for all.
    /// </summary>
    public string? Search { get; init; }

    /// <summary>The paging cursor: only accounts whose normalized username sorts after this (ordinal), the previous page's <see cref="UserPage.Next"/>.</summary>
    public string? After { get; init; }

    /// <summary>At most this many accounts (1 to <see cref="MaxLimit"/>).</summary>
    public int Limit { get; init; } = 50;
}

/// <summary>One page of accounts; <see cref="Next"/> is the cursor of the next page, null at the end.</summary>
public sealed record UserPage(IReadOnlyList<UserRecord> Users, string? Next);
