namespace Tessera.AspNetCore.Provider;

/// <summary>
/// The sign-in page's passkey script (<c>SignInPasskey.js</c>, an embedded resource) and its
/// SHA-256: the page inlines it and its CSP allows exactly that hash (<see cref="HtmlPage"/>), so the
/// strict policy stays (no <c>'self'</c> script source, no <c>connect-src</c>: the options come with the page).
/// </summary>
internal static class SignInPasskeyScript
{
    private const string ResourceName = "Tessera.AspNetCore.Provider.SignInPasskey.js";

    /// <summary>The script's text.</summary>
    public static readonly string Text = Load();

    /// <summary>The base64 SHA-256 of <see cref="Text"/>, as CSP's <c>'sha256-…'</c> wants it.</summary>
    public static readonly string Hash = HtmlPage.Hash(Text);

    private static string Load()
    {
        using Stream stream = typeof(SignInPasskeyScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
