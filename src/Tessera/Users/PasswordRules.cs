using System.Buffers;
using System.Text;

namespace Tessera.Users;

/// <summary>
/// NIST SP 800-63B §3.1.1.2 (rev. 4: §5.1.1.2): at least 8 characters, at least 64 allowed (we allow
/// 128), every printable character and space allowed, each Unicode code point counted as one
/// character, no composition rules. The upper bound keeps hashing cost predictable.
/// </summary>
public static class PasswordRules
{
    public const int MinimumLength = 8;
    public const int MaximumLength = 128;

    /// <summary>Why <paramref name="password"/> is not acceptable, or null when it is.</summary>
    public static string? Problem(string? password)
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

        return codePoints is < MinimumLength or > MaximumLength
            ? $"The password must be {MinimumLength} to {MaximumLength} characters long."
            : null;
    }
}
