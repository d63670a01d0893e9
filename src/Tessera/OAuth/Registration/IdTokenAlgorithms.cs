namespace Tessera.OAuth.Registration;

/// <summary>The algorithms a client may ask its ID tokens to be signed with (<c>id_token_signed_response_alg</c>).</summary>
public static class IdTokenAlgorithms
{
    /// <summary>OpenID Connect Core §15.1: every provider supports RS256; it is the default.</summary>
    public const string Default = "RS256";

    /// <summary>RS256 and ES256: the key ring keeps one key per algorithm it signs ID tokens with.</summary>
    public static IReadOnlyList<string> Supported { get; } = [Default, "ES256"];
}
