namespace Tessera.Users;

/// <summary>
/// What a username may be, and its unique key. Usernames are ASCII letters, digits and <c>. _ - @ +</c>
/// (so an e-mail address fits): with globalization-invariant mode there is no Unicode normalization,
/// and without it look-alike and differently composed names could collide or impersonate.
/// </summary>
public static class UsernameRules
{
    /// <summary>The shortest username accepted.</summary>
    public const int MinimumLength = 3;
    /// <summary>The longest username accepted.</summary>
    public const int MaximumLength = 64;

    /// <summary>Why <paramref name="username"/> is not acceptable, or null when it is.</summary>
    public static string? Problem(string? username)
    {
        string trimmed = username?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return "The username is required.";
        }

        if (trimmed.Length is < MinimumLength or > MaximumLength)
        {
            return $"The username must be {MinimumLength} to {MaximumLength} characters long.";
        }

        foreach (char c in trimmed)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or '@' or '+'))
            {
                return "The username may only contain ASCII letters, digits and . _ - @ +";
            }
        }

        return null;
    }

    /// <summary>The unique key: trimmed and lower-cased, so "Alice " and "alice" are one account.</summary>
    public static string Normalize(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        return username.Trim().ToLowerInvariant();
    }
}
