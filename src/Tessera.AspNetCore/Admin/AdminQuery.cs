using System.Globalization;
using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.Admin;

/// <summary>
/// The admin API's query values, read as text and checked here so that a bad one answers 400
/// <c>validation_failed</c> naming the parameter (the framework's binder would answer a bare 400).
/// </summary>
internal static class AdminQuery
{
    /// <summary>The page size: <paramref name="fallback"/> when absent, else a whole number from 1 to <paramref name="max"/>.</summary>
    public static bool TryLimit(string? text, int fallback, int max, out int limit, out IResult? problem)
    {
        problem = null;
        limit = fallback;
        if (text is null)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= max)
        {
            return true;
        }

        problem = TesseraProblems.Validation("limit", $"The limit must be a whole number from 1 to {max}.");
        return false;
    }

    /// <summary>A positive whole-number cursor (an audit sequence); null when absent.</summary>
    public static bool TrySequence(string name, string? text, out long? value, out IResult? problem)
    {
        problem = null;
        value = null;
        if (text is null)
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) && parsed >= 1)
        {
            value = parsed;
            return true;
        }

        problem = TesseraProblems.Validation(name, $"The {name} cursor must be a positive whole number (a page's next).");
        return false;
    }

    /// <summary>The admin's own user id (the filter let only a signed-in admin through).</summary>
    public static string CallerId(HttpContext http) =>
        http.User.FindFirst(Authentication.TesseraClaimTypes.Subject)?.Value
            ?? throw new InvalidOperationException("The admin API's filter lets only a signed-in user through.");
}
