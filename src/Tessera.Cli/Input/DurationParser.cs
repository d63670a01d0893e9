using System.Globalization;

namespace Tessera.Cli.Input;

/// <summary>
/// Durations for <c>--exp</c>: a positive whole number followed by one unit, <c>s</c> (seconds),
/// <c>m</c> (minutes), <c>h</c> (hours) or <c>d</c> (days): <c>30s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c>.
/// Nothing else: no spaces, signs, fractions, compound forms or upper-case units. At most
/// <see cref="Max"/>, so that a typo cannot mint a token that lives for centuries.
/// </summary>
public static class DurationParser
{
    /// <summary>The longest duration accepted: 366 days.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(366);

    /// <summary>The syntax, for help texts and error messages.</summary>
    public const string Syntax = "a whole number and a unit: s, m, h or d (e.g. 30s, 15m, 1h, 7d)";

    /// <summary>Parses <paramref name="text"/> as a duration of <see cref="Syntax"/>, at most <see cref="Max"/>; false with <paramref name="error"/> (a message naming the text) otherwise.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, out string? error)
    {
        duration = default;
        if (string.IsNullOrEmpty(text) || text.Length < 2)
        {
            error = $"'{text}' is not a duration: expected {Syntax}";
            return false;
        }

        ReadOnlySpan<char> digits = text.AsSpan(0, text.Length - 1);
        long secondsPerUnit = text[^1] switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            _ => 0,
        };
        if (secondsPerUnit == 0 || !IsAsciiDigits(digits)
            || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long count))
        {
            error = $"'{text}' is not a duration: expected {Syntax}";
            return false;
        }

        if (count == 0)
        {
            error = $"'{text}' is not a positive duration";
            return false;
        }

        if (count > (long)Max.TotalSeconds / secondsPerUnit)
        {
            error = $"'{text}' is longer than the maximum of {Max.TotalDays:0} days";
            return false;
        }

        duration = TimeSpan.FromSeconds(count * secondsPerUnit);
        error = null;
        return true;
    }

    private static bool IsAsciiDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return !text.IsEmpty;
    }
}
