using System.Globalization;
using System.Text.RegularExpressions;

namespace Tessera.Cli.Input;

/// <summary>
/// An instant on the command line (<c>--until</c>, <c>--since</c>): an ISO-8601 date or date and
/// time (<c>2026-12-24</c>, <c>2026-12-24T18:00</c>, <c>2026-12-24T18:00:00+01:00</c>; UTC when no
/// offset is given), or a duration as <see cref="DurationParser"/> reads it (<c>2h</c>, <c>7d</c>),
/// counted forward or back from now.
/// </summary>
public static partial class WhenParser
{
    /// <summary>The syntax, for help texts and error messages.</summary>
    public const string Syntax = "an ISO-8601 date or date-time (2026-12-24, 2026-12-24T18:00:00Z) or a duration (30m, 2h, 7d)";

    /// <summary>Reads <paramref name="text"/>; a duration is added to <paramref name="now"/> (<paramref name="forward"/>) or taken from it.</summary>
    public static bool TryParse(string? text, DateTimeOffset now, bool forward, out DateTimeOffset when, out string? error)
    {
        when = default;
        if (string.IsNullOrEmpty(text))
        {
            error = $"an empty value is not a time: expected {Syntax}";
            return false;
        }

        if (IsoShape().IsMatch(text))
        {
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
            {
                when = parsed.ToUniversalTime();
                error = null;
                return true;
            }

            error = $"'{text}' is not a valid date or time";
            return false;
        }

        if (DurationParser.TryParse(text, out TimeSpan duration, out string? durationError))
        {
            when = forward ? now + duration : now - duration;
            error = null;
            return true;
        }

        // A duration in shape but not in range (0h, 400d) gets the duration's own reason.
        error = DurationShape().IsMatch(text) ? durationError : $"'{text}' is not a time: expected {Syntax}";
        return false;
    }

    // Date, then optionally T or space, hours and minutes, seconds, fraction, and Z or an offset.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoShape();

    [GeneratedRegex(@"^\d+[smhd]$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationShape();
}
