namespace Tessera.Dpop;

/// <summary>
/// Server-provided DPoP nonces (RFC 9449 §8, §9). Every instance of a cluster must accept the nonces
/// of the others (the ASP.NET Core implementation protects a timestamp with the shared Data
/// Protection key ring, so no store round trip is needed).
/// </summary>
public interface IDpopNonces
{
    /// <summary>The nonce to send in <c>DPoP-Nonce</c> now (the same one for a while, then a fresh one).</summary>
    string Current();

    /// <summary>True when <paramref name="nonce"/> was issued by this deployment and has not expired.</summary>
    bool IsValid(string nonce);
}
