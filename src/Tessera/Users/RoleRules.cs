namespace Tessera.Users;

/// <summary>What a role name may be. Roles travel in access tokens (<c>roles</c>) and in policies, so they are short plain tokens.</summary>
public static class RoleRules
{
    public const int MaxLength = 64;

    /// <summary>At most this many roles per user: every access token carries all of them.</summary>
    public const int MaxRoles = 50;

    /// <summary>The role the admin API (<c>/admin</c>) requires.</summary>
    public const string Admin = "admin";

    /// <summary>A message when <paramref name="role"/> is not 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'; else null.</summary>
    public static string? Problem(string? role) =>
        !string.IsNullOrEmpty(role) && role.Length <= MaxLength && role.All(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-')
            ? null
            : $"'{role}' is not a role: 1 to {MaxLength} characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'";
}
