namespace Tessera.Dpop;

/// <summary>Token type and header names of RFC 9449.</summary>
public static class DpopTokenTypes
{
    /// <summary>The <c>token_type</c> of a DPoP-bound access token and its <c>Authorization</c> scheme (RFC 9449 §5, §7.1).</summary>
    public const string Dpop = "DPoP";

    /// <summary>The <c>token_type</c> of an unbound access token (RFC 6750).</summary>
    public const string Bearer = "Bearer";

    /// <summary>The request header that carries the proof (RFC 9449 §4.1).</summary>
    public const string ProofHeader = "DPoP";

    /// <summary>The response header that carries a server nonce (RFC 9449 §8.1).</summary>
    public const string NonceHeader = "DPoP-Nonce";

    /// <summary>The <c>token_type</c> of an access token bound to <paramref name="keyThumbprint"/> (null: a bearer token).</summary>
    public static string Of(string? keyThumbprint) => keyThumbprint is null ? Bearer : Dpop;

    /// <summary>The <c>typ</c> of a proof JWT (RFC 9449 §4.2).</summary>
    public const string ProofType = "dpop+jwt";
}
