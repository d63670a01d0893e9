using System.Text;

namespace Tessera.AspNetCore.Authentication;

/// <summary>
/// Writes the <c>WWW-Authenticate: Bearer</c> challenge of RFC 6750 §3 for both bearer schemes
/// (the server's own and the resource server's): the realm, then <c>error</c>,
/// <c>error_description</c> and <c>scope</c> when given; and the <c>WWW-Authenticate: DPoP</c>
/// challenge of RFC 9449 §7.1 in the same shape (see <c>DpopChallenge</c>).
/// </summary>
internal static class BearerChallenge
{
    /// <summary>The challenge; parameters with a null value are left out.</summary>
    public static string Format(string? realm, params ReadOnlySpan<(string Name, string? Value)> parameters) =>
        FormatScheme(CredentialReader.BearerScheme, realm, parameters);

    /// <summary>
    /// A challenge of <paramref name="scheme"/> with the same parameter rules: RFC 9449 §7.1 gives the
    /// <c>DPoP</c> challenge RFC 6750's <c>realm</c>, <c>scope</c>, <c>error</c> and
    /// <c>error_description</c>, plus <c>algs</c>.
    /// </summary>
    public static string FormatScheme(string scheme, string? realm, params ReadOnlySpan<(string Name, string? Value)> parameters)
    {
        var header = new StringBuilder(scheme);
        bool first = true;
        if (realm is not null)
        {
            Append(header, ref first, "realm", realm);
        }

        foreach ((string name, string? value) in parameters)
        {
            if (value is not null)
            {
                Append(header, ref first, name, value);
            }
        }

        return header.ToString();
    }

    /// <summary>
    /// The <c>error_description</c> of a refusal: the message, led by the finer cause when there is
    /// one (<c>expired: The access token has expired.</c>), since the outward <c>error</c> stays
    /// <c>invalid_token</c> (RFC 6750 §3.1).
    /// </summary>
    public static string Describe(string message, string? reason) =>
        reason is null ? message : $"{reason}: {message}";

    private static void Append(StringBuilder header, ref bool first, string name, string value)
    {
        header.Append(first ? " " : ", ").Append(name).Append("=\"");
        first = false;
        // RFC 6750 §3: attribute values are %x20-21 / %x23-5B / %x5D-7E: no quote, no backslash, ASCII only.
        foreach (char c in value)
        {
            header.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '\'');
        }

        header.Append('"');
    }
}
