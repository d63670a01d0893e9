namespace Tessera.LoadTarget;

/// <summary>The harness's sign-in: <c>POST /bench/signin?user=ID</c>, answered with the scheme's credential.</summary>
public static class SignIn
{
    public const string Path = "/bench/signin";

    /// <summary>Signs the caller out (see <see cref="Scenarios.ITargetScenario.RevokeAsync"/>).</summary>
    public const string RevokePath = "/bench/revoke";

    /// <summary>The body when the credential is a bearer token (cookie schemes answer with Set-Cookie instead).</summary>
    public sealed record TokenResponse(string AccessToken);

    /// <summary>The user id from the query string: short, URL-safe, so every scenario's subject looks alike.</summary>
    public static string? UserFrom(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? user = context.Request.Query["user"];
        return !string.IsNullOrEmpty(user) && user.Length <= 64 && user.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? user : null;
    }
}
