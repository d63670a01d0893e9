namespace Tessera.Users;

/// <summary>Role names Tessera itself gives a meaning to (names follow <see cref="RoleNames"/>).</summary>
public static class TesseraRoles
{
    /// <summary>The role the admin API (<c>/admin</c>) requires, read from the user store on each call.</summary>
    public const string Admin = "admin";
}
