using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Tessera.Cli.Input;

namespace Tessera.Cli.Commands;

/// <summary>Options of the administration commands (a bad value is a usage error, exit 2).</summary>
internal static class AdminOptions
{
    /// <summary>An instant (<see cref="WhenParser"/>); a duration counts forward from now when <paramref name="forward"/>, else back.</summary>
    public static Option<DateTimeOffset?> When(string name, string description, bool forward, CliIo io) => new(name)
    {
        HelpName = "WHEN",
        Description = $"{description} {char.ToUpperInvariant(WhenParser.Syntax[0])}{WhenParser.Syntax[1..]}{(forward ? " from now" : " ago")}.",
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (WhenParser.TryParse(text, io.TimeProvider.GetUtcNow(), forward, out DateTimeOffset when, out string? error))
            {
                return when;
            }

            result.AddError($"{name}: {error}");
            return null;
        },
    };

    /// <summary><c>--limit N</c>: 1 to <paramref name="max"/>.</summary>
    public static Option<int> Limit(string description, int defaultValue, int max)
    {
        var option = new Option<int>("--limit")
        {
            HelpName = "N",
            Description = $"{description} (1 to {max.ToString(CultureInfo.InvariantCulture)}; default {defaultValue.ToString(CultureInfo.InvariantCulture)}).",
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value < 1 || value > max)
            {
                result.AddError($"--limit must be 1 to {max.ToString(CultureInfo.InvariantCulture)}, not {value.ToString(CultureInfo.InvariantCulture)}");
            }
        });
        return option;
    }

    /// <summary>The USER argument: a username or a user id.</summary>
    public static Argument<string> User() => new("USER") { Description = $"The user's name (as they sign in with it) or id. {DashAdvice}" };

    /// <summary>
    /// Ids are random base64url and one in 64 begins with '-', which the parser would take for an
    /// option (<c>-h…</c> even shows the help): after <c>--</c> every word is an argument.
    /// </summary>
    public const string DashAdvice = "An id that begins with '-' goes after -- (e.g. 'user show --data DIR -- -AbC…').";
}
