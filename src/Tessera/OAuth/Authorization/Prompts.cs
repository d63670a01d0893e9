namespace Tessera.OAuth.Authorization;

/// <summary>The <c>prompt</c> values of OpenID Connect Core §3.1.2.1 that Tessera acts on.</summary>
public static class Prompts
{
    /// <summary>Show nothing: answer at once, or fail with <c>login_required</c> / <c>consent_required</c>.</summary>
    public const string None = "none";

    /// <summary>Ask the user to sign in again even when a session exists.</summary>
    public const string Login = "login";

    /// <summary>Ask for consent even when it was given before.</summary>
    public const string Consent = "consent";

    /// <summary>Let the user pick an account: with one account per browser that is signing in again.</summary>
    public const string SelectAccount = "select_account";

    /// <summary>Every <c>prompt</c> value Tessera understands.</summary>
    public static IReadOnlyList<string> All { get; } = [None, Login, Consent, SelectAccount];
}
