using System.Buffers;
using System.Text;
using Tessera.Passwords;

namespace Tessera.Users;

/// <summary>
/// NIST SP 800-63B §3.1.1.2 (rev. 4: §5.1.1.2): at least 8 characters, at least 64 allowed (we allow
/// 128), every printable character and space allowed, each Unicode code point counted as one
/// character, no composition rules. The upper bound keeps hashing cost predictable. Also per
/// §3.1.1.2: a password from a breach corpus (<see cref="CommonPasswords"/>) or built on a
/// context-specific word (the username, the service's name) is refused.
/// </summary>
public static class PasswordRules
{
    /// <summary>The shortest password accepted (NIST SP 800-63B §3.1.1.2).</summary>
    public const int MinimumLength = 8;
    /// <summary>The longest password accepted: long enough for passphrases, short enough to bound the hashing cost.</summary>
    public const int MaximumLength = 128;

    /// <summary>The service's own name, a context-specific word no password may be built on.</summary>
    public const string ServiceName = "tessera";

    /// <summary>The message for a password found in the common-password list.</summary>
    public const string CommonPasswordProblem = "This password is one of the most common ones and would be guessed quickly; choose another (a few unrelated words make a strong one).";

    /// <summary>The message for a password built on the username or the service's name.</summary>
    public const string ContextWordProblem = "The password must not be built on the username or the service's name.";

    /// <summary>Why <paramref name="password"/> is not acceptable, or null when it is (no username to compare with).</summary>
    public static string? Problem(string? password) => Problem(password, null);

    /// <summary>Why <paramref name="password"/> is not acceptable for <paramref name="username"/>'s account, or null when it is.</summary>
    public static string? Problem(string? password, string? username)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "The password is required.";
        }

        if (password.Length > MaximumLength * 2)
        {
            return $"The password must be {MinimumLength} to {MaximumLength} characters long.";
        }

        int codePoints = 0;
        ReadOnlySpan<char> rest = password;
        while (!rest.IsEmpty)
        {
            // A lone surrogate would be hashed as U+FFFD, silently matching other passwords.
            if (Rune.DecodeFromUtf16(rest, out _, out int used) != OperationStatus.Done)
            {
                return "The password is not valid Unicode text.";
            }

            rest = rest[used..];
            codePoints++;
        }

        if (codePoints is < MinimumLength or > MaximumLength)
        {
            return $"The password must be {MinimumLength} to {MaximumLength} characters long.";
        }

        if (CommonPasswords.Contains(password))
        {
            return CommonPasswordProblem;
        }

        foreach (string word in ContextWords(username))
        {
            if (IsBuiltOn(password, word))
            {
                return ContextWordProblem;
            }
        }

        return null;
    }

    private static IEnumerable<string> ContextWords(string? username)
    {
        yield return ServiceName;
        string trimmed = username?.Trim() ?? string.Empty;
        if (trimmed.Length >= UsernameRules.MinimumLength)
        {
            yield return trimmed;
            // An e-mail address as username: its local part is the name people reuse.
            int at = trimmed.IndexOf('@', StringComparison.Ordinal);
            if (at >= UsernameRules.MinimumLength)
            {
                yield return trimmed[..at];
            }
        }
    }

    /// <summary>
    /// The word with a little around it ("alice2024!", "Tessera123", "alicepassword"): what is left
    /// once every occurrence is taken out is too short to be a password, or a common one itself.
    /// A long passphrase that merely mentions the word still passes.
    /// </summary>
    private static bool IsBuiltOn(string password, string word)
    {
        if (!password.Contains(word, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string rest = password.Replace(word, string.Empty, StringComparison.OrdinalIgnoreCase);
        return rest.Length < MinimumLength || CommonPasswords.Contains(rest);
    }
}
