namespace Tessera.Users;

/// <summary>
/// What a role name may be. Roles travel in access tokens' <c>roles</c> claim and are typed on the
/// command line, so a name is one token of the characters a scope token allows (RFC 6749 §3.3
/// NQCHAR: printable ASCII without space, <c>"</c> or <c>\</c>), case-sensitive; a user's list has
/// no duplicates. Every user store refuses a list that breaks these rules.
/// </summary>
public static class RoleNames
{
    /// <summary>The longest role name accepted.</summary>
    public const int MaximumLength = 64;

    /// <summary>The most roles one user may hold.</summary>
    public const int MaximumCount = 64;

    /// <summary>Why <paramref name="roles"/> is not an acceptable list of role names, or null when it is.</summary>
    public static string? Problem(IReadOnlyList<string>? roles)
    {
        if (roles is null)
        {
            return "The list of roles is required (empty for none).";
        }

        if (roles.Count > MaximumCount)
        {
            return $"A user may have at most {MaximumCount} roles.";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string? role in roles)
        {
            if (string.IsNullOrEmpty(role) || role.Length > MaximumLength)
            {
                return $"A role name must be 1 to {MaximumLength} characters long.";
            }

            if (!role.All(static c => c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E)))
            {
                return $"The role name '{role}' may only contain printable ASCII characters other than space, \" and \\.";
            }

            if (!seen.Add(role))
            {
                return $"The role '{role}' is listed twice.";
            }
        }

        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the <see cref="Problem"/> of <paramref name="roles"/>, if any.</summary>
    public static void ThrowIfInvalid(IReadOnlyList<string>? roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (Problem(roles) is { } problem)
        {
            throw new ArgumentException(problem, nameof(roles));
        }
    }
}
