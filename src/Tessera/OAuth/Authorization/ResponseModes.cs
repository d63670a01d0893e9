namespace Tessera.OAuth.Authorization;

/// <summary>How the authorization response reaches the client (OAuth 2.0 Multiple Response Types §2.1, Form Post Response Mode §2).</summary>
public static class ResponseModes
{
    /// <summary>The default for <c>response_type=code</c>: parameters in the redirect URI's query.</summary>
    public const string Query = "query";

    /// <summary>An HTML form the browser posts to the redirect URI (keeps the code out of the URL and logs).</summary>
    public const string FormPost = "form_post";

    /// <summary>Every <c>response_mode</c> Tessera supports.</summary>
    public static IReadOnlyList<string> All { get; } = [Query, FormPost];
}
