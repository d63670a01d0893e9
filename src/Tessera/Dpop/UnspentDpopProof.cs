namespace Tessera.Dpop;

/// <summary>
/// A DPoP proof that passed every check of RFC 9449 §4.3 but the replay half of step 11: its
/// <c>jti</c> is not recorded yet, so the same proof may come again. It is deliberately not a
/// <see cref="DpopProof"/> (the type <see cref="DpopProofValidator.ValidateAsync"/> returns after the
/// replay check): the only way to one is <see cref="DpopProofValidator.UseAsync"/>, which records the
/// <c>jti</c> (§11.1). Made only by <see cref="DpopProofValidator.Verify"/>. Until then only the key's
/// thumbprint is readable, for a token endpoint that checks a binding before it spends the proof.
/// </summary>
public sealed class UnspentDpopProof
{
    internal UnspentDpopProof(DpopProof proof) => Proof = proof;

    /// <summary>The RFC 7638 SHA-256 thumbprint of the proof's key, base64url (what <c>cnf.jkt</c> will say).</summary>
    public string KeyThumbprint => Proof.KeyThumbprint;

    /// <summary>The checked proof, handed out only once its <c>jti</c> is recorded.</summary>
    internal DpopProof Proof { get; }

    /// <summary>Names the key only (nothing here is secret, but the proof's claims are not this type's to show).</summary>
    public override string ToString() => $"UnspentDpopProof {{ KeyThumbprint = {KeyThumbprint} }}";
}
