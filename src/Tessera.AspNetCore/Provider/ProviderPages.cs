using System.Text;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Provider;

/// <summary>
/// The provider's pages as HTML. Accessible without script: one <c>h1</c> per page, a label for
/// every field, errors announced (<c>role="alert"</c>) and tied to their fields with
/// <c>aria-describedby</c> and <c>aria-invalid</c>, the natural focus order. Every value is HTML-encoded.
/// </summary>
internal static class ProviderPages
{
    /// <summary>OAuth 2.0 Form Post Response Mode §2: the browser posts the response; without script, the user presses Continue.</summary>
    private const string AutoSubmit = "document.forms[0].submit();";

    private static readonly string AutoSubmitHash = HtmlPage.Hash(AutoSubmit);

    /// <summary>Which field an error belongs to; <see cref="None"/> for the form as a whole.</summary>
    public enum Field
    {
        None,
        Username,
        Password,
    }

    /// <remarks>With <paramref name="passkey"/> (sign-in options and state, #16), the page offers "Sign in with a passkey" and conditional UI (SignInPasskey.js).</remarks>
    public static IResult SignIn(PathString pathBase, string clientName, string pending, string? username, string? error, Field errorField, string redirectUri, int status = StatusCodes.Status200OK, Passkeys.PasskeyOptionsResponse? passkey = null)
    {
        var body = new StringBuilder()
            .Append("<h1>Sign in</h1>\n<p>to continue to <strong>").Append(HtmlPage.Encode(clientName)).Append("</strong></p>\n");
        if (error is not null)
        {
            body.Append("<p id=\"signin-error\" class=\"error\" role=\"alert\">").Append(HtmlPage.Encode(error)).Append("</p>\n");
        }

        body.Append("<form method=\"post\" action=\"").Append(HtmlPage.Encode(pathBase + ProviderPaths.SignIn)).Append("\">\n")
            .Append(Hidden("request", pending))
            .Append("<label for=\"username\">Username</label>\n")
            // "webauthn": the browser may offer passkeys in this field's autofill (conditional mediation, WebAuthn L3 §5.1.4.1).
            .Append("<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username").Append(passkey is null ? "" : " webauthn").Append("\" autocapitalize=\"none\" spellcheck=\"false\" required")
            .Append(" value=\"").Append(HtmlPage.Encode(username)).Append('"').Append(ErrorAttributes(error, errorField, Field.Username)).Append(">\n")
            .Append("<label for=\"password\">Password</label>\n")
            .Append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required")
            .Append(ErrorAttributes(error, errorField, Field.Password)).Append(">\n")
            .Append("<button type=\"submit\">Sign in</button>\n</form>");
        if (passkey is null)
        {
            return new HtmlPage(status, "Sign in", body.ToString(), [redirectUri]);
        }

        // The passkey way in: hidden until the script finds WebAuthn in the browser.
        body.Append("\n<form id=\"passkey-form\" method=\"post\" action=\"").Append(HtmlPage.Encode(pathBase + ProviderPaths.SignIn))
            .Append("\" data-options=\"").Append(HtmlPage.Encode(passkey.Options.GetRawText())).Append("\">\n")
            .Append(Hidden("request", pending))
            .Append(Hidden("passkey_state", passkey.State))
            .Append(Hidden("passkey_credential", string.Empty))
            .Append("<button type=\"button\" id=\"passkey-button\" hidden>Sign in with a passkey</button>\n</form>\n")
            .Append("<p id=\"passkey-status\" role=\"status\"></p>\n")
            .Append("<script>").Append(SignInPasskeyScript.Text).Append("</script>");
        return new HtmlPage(status, "Sign in", body.ToString(), [redirectUri], SignInPasskeyScript.Hash);
    }

    public static IResult Consent(PathString pathBase, string clientName, string username, IReadOnlyList<string> scopes, string pending, string redirectUri)
    {
        var body = new StringBuilder()
            .Append("<h1>Allow ").Append(HtmlPage.Encode(clientName)).Append(" to use your account?</h1>\n")
            .Append("<p>You are signed in as <strong>").Append(HtmlPage.Encode(username)).Append("</strong>.</p>\n")
            .Append("<p id=\"scopes-intro\"><strong>").Append(HtmlPage.Encode(clientName)).Append("</strong> asks to:</p>\n<ul aria-labelledby=\"scopes-intro\">\n");
        foreach (string scope in scopes)
        {
            body.Append("<li>").Append(HtmlPage.Encode(ScopeDescriptions.Describe(scope))).Append("</li>\n");
        }

        body.Append("</ul>\n<p>You can withdraw this later from your account's list of connected applications.</p>\n")
            .Append("<form method=\"post\" action=\"").Append(HtmlPage.Encode(pathBase + ProviderPaths.Consent)).Append("\">\n")
            .Append(Hidden("request", pending))
            .Append("<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>\n")
            .Append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n</form>");
        return new HtmlPage(StatusCodes.Status200OK, "Allow access", body.ToString(), [redirectUri]);
    }

    /// <summary>An error the browser must not be redirected with (unknown client, unverified redirect URI, expired page).</summary>
    public static IResult Error(string title, string message, int status = StatusCodes.Status400BadRequest) =>
        new HtmlPage(status, title,
            $"<h1>{HtmlPage.Encode(title)}</h1>\n<p id=\"error-detail\" role=\"alert\">{HtmlPage.Encode(message)}</p>\n<p>You can close this page and return to the application.</p>",
            []);

    public static IResult LogoutConfirmation(PathString pathBase, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var body = new StringBuilder()
            .Append("<h1>Sign out of Tessera?</h1>\n<p>An application asked to sign you out. Nothing happens unless you confirm.</p>\n")
            .Append("<form method=\"post\" action=\"").Append(HtmlPage.Encode(pathBase + ProviderPaths.Logout)).Append("\">\n");
        foreach ((string name, string value) in parameters)
        {
            body.Append(Hidden(name, value));
        }

        body.Append(Hidden("confirm", "yes")).Append("<button type=\"submit\">Sign out</button>\n</form>");
        return new HtmlPage(StatusCodes.Status200OK, "Sign out", body.ToString(), []);
    }

    public static IResult SignedOut() =>
        new HtmlPage(StatusCodes.Status200OK, "Signed out", "<h1>You are signed out</h1>\n<p>You can close this page.</p>", []);

    /// <summary>OAuth 2.0 Form Post Response Mode §2: the response as a form the browser posts to the redirect URI.</summary>
    public static IResult FormPost(string redirectUri, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var body = new StringBuilder()
            .Append("<h1>Returning to the application</h1>\n<form method=\"post\" action=\"").Append(HtmlPage.Encode(redirectUri)).Append("\">\n");
        foreach ((string name, string value) in parameters)
        {
            body.Append(Hidden(name, value));
        }

        body.Append("<button type=\"submit\">Continue</button>\n</form>\n<script>").Append(AutoSubmit).Append("</script>");
        return new HtmlPage(StatusCodes.Status200OK, "Returning to the application", body.ToString(), [redirectUri], AutoSubmitHash);
    }

    private static string Hidden(string name, string value) =>
        $"<input type=\"hidden\" name=\"{HtmlPage.Encode(name)}\" value=\"{HtmlPage.Encode(value)}\">\n";

    private static string ErrorAttributes(string? error, Field errorField, Field field) =>
        error is not null && (errorField == field || errorField == Field.None) ? " aria-invalid=\"true\" aria-describedby=\"signin-error\"" : string.Empty;
}
