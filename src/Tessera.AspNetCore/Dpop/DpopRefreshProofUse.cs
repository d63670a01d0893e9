using Microsoft.AspNetCore.Http;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Dpop;

/// <summary>
/// The refresh grant's use of a token request's DPoP proof (<see cref="RefreshRequest.UseProof"/>),
/// remembering whether recording its <c>jti</c> refused it (a replayed request, RFC 9449 §11.1). Both
/// that and a key-binding refusal (§5: another key, or no proof) come back as <c>invalid_dpop_proof</c>;
/// the endpoint logs each as what it is, so a replay is never reported as a binding refusal.
/// </summary>
internal sealed class DpopRefreshProofUse(DpopTokenProof dpop, HttpContext http)
{
    private TesseraError? _refusal;

    /// <summary>What <see cref="RefreshRequest.UseProof"/> calls; null without a proof.</summary>
    public Func<CancellationToken, ValueTask<TesseraError?>>? Callback => dpop.Proof is null ? null : UseAsync;

    /// <summary>True when <paramref name="error"/> refused the refresh for the key binding, not for a spent proof.</summary>
    public bool IsBindingRefusal(TesseraError error) => DpopTokenProof.IsDpopCode(error.Code) && _refusal is null;

    private async ValueTask<TesseraError?> UseAsync(CancellationToken cancellationToken) =>
        _refusal = await dpop.UseAsync(http, cancellationToken).ConfigureAwait(false);
}
