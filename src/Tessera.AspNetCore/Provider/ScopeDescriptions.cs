using Tessera.OAuth;

namespace Tessera.AspNetCore.Provider;

/// <summary>What each scope lets an application do, in words a user can judge on the consent page.</summary>
internal static class ScopeDescriptions
{
    public static string Describe(string scope) => scope switch
    {
        Scopes.OpenId => "Know who you are (a stable identifier for your account)",
        Scopes.Profile => "See your username",
        Scopes.OfflineAccess => "Stay connected when you are not using it (until you revoke it)",
        _ => $"Use the API permission \u201c{scope}\u201d on your behalf",
    };
}
