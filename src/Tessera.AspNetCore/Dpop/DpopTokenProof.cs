using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.Http;
using Tessera.Dpop;

namespace Tessera.AspNetCore.Dpop;

/// <summary>
/// The DPoP proof of a token request (RFC 9449 §5): none (the tokens stay bearer), a proof that passed
/// every check of §4.3 (its key is what the tokens bind to), or a refusal. Every token endpoint reads
/// it with one call, <see cref="Read"/>, before it checks anything else, so a bad proof costs no
/// password hash and spends no code. The proof's <c>jti</c> is recorded (<see cref="UseAsync"/>) only
/// once the request's client and credentials or grant have held, just before tokens are issued: a
/// request refused anyway takes no single-use mark, so a flood of self-signed proofs with bad
/// credentials cannot fill the replay store (RFC 9449 §11.1 asks for the replay check, not its place).
/// A sign-in endpoint then passes <see cref="KeyThumbprint"/> in <see cref="Sessions.SessionStart.KeyThumbprint"/>
/// and answers with <see cref="TokenEndpoints.AnswerAsync"/>.
/// </summary>
/// <param name="Proof">The valid proof, its <c>jti</c> not yet recorded (<see cref="UseAsync"/>); null when the request carried none or it was refused.</param>
/// <param name="Error">Why the proof is refused (<c>invalid_dpop_proof</c> or <c>use_dpop_nonce</c>); null otherwise.</param>
internal readonly record struct DpopTokenProof(UnspentDpopProof? Proof, TesseraError? Error)
{
    /// <summary>The thumbprint of the proof's key (what <c>cnf.jkt</c> will say); null without a proof.</summary>
    public string? KeyThumbprint => Proof?.KeyThumbprint;

    /// <summary>
    /// Reads and checks the request's <c>DPoP</c> header against this request's method and URI: every
    /// check of §4.3 but the replay one, which <see cref="UseAsync"/> makes once the request has passed the rest.
    /// Sets <c>DPoP-Nonce</c> on the response when the proof lacks a current nonce (§8) and, when
    /// nonces are required, on every answer to a proof (§8.2: the client's next nonce).
    /// </summary>
    public static DpopTokenProof Read(HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        DpopHeader header = DpopHttp.ReadProof(http.Request);
        if (header.Error is { } malformed)
        {
            return Refused(http, new TesseraError(DpopErrorCodes.InvalidProof, malformed));
        }

        if (header.Proof is not { } proof)
        {
            return default;
        }

        DpopProofValidator validator = http.RequestServices.GetRequiredService<DpopProofValidator>();
        IDpopNonces? nonces = http.RequestServices.GetService<IDpopNonces>();
        cancellationToken.ThrowIfCancellationRequested();
        Outcome<UnspentDpopProof> checkedProof = validator.Verify(DpopHttp.ProofRequest(http.Request, proof));
        if (nonces is not null && (validator.Options.RequireNonce || checkedProof.Error?.Code == DpopErrorCodes.UseNonce))
        {
            DpopHttp.SetNonce(http.Response, nonces);
        }

        return checkedProof.Succeeded ? new DpopTokenProof(checkedProof.Value, null) : Refused(http, checkedProof.Error);
    }

    /// <summary>
    /// Records the proof's <c>jti</c> (RFC 9449 §11.1), once the request is otherwise accepted and
    /// before anything is issued: null when there is no proof or it was not used before; otherwise
    /// <c>invalid_dpop_proof</c> (a replay, or a full in-memory replay store: fail closed), logged.
    /// </summary>
    public async ValueTask<TesseraError?> UseAsync(HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (Proof is not { } proof)
        {
            return null;
        }

        Outcome<DpopProof> used = await http.RequestServices.GetRequiredService<DpopProofValidator>().UseAsync(proof, cancellationToken).ConfigureAwait(false);
        return used.Succeeded ? null : Refused(http, used.Error).Error;
    }

    /// <summary>The refusal as problem+json with the code as <c>error</c> (Tessera's own token endpoints), 400.</summary>
    public IResult ToProblem() => TesseraProblems.Problem(StatusCodes.Status400BadRequest, Error!.Code, Error.Message);

    /// <summary>The refusal as RFC 6749 §5.2 JSON (<c>/oauth2/token</c>): RFC 9449 §12.2 registers both codes as OAuth errors, 400.</summary>
    public IResult ToOAuthError() => ToOAuthError(Error!);

    /// <summary>A DPoP refusal raised later (a bound refresh token or code met another key) in the RFC 6749 §5.2 shape.</summary>
    public static IResult ToOAuthError(TesseraError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return TypedResults.Json(new OAuthErrorResponse(error.Code, error.Message, error.Code), statusCode: StatusCodes.Status400BadRequest);
    }

    /// <summary>True for the codes RFC 9449 defines (answered as themselves, never folded into <c>invalid_request</c>).</summary>
    public static bool IsDpopCode(string code) => code is DpopErrorCodes.InvalidProof or DpopErrorCodes.UseNonce;

    private static DpopTokenProof Refused(HttpContext http, TesseraError error)
    {
        ILogger logger = http.RequestServices.GetRequiredService<ILogger<DpopTokenLog>>();
        DpopTokenLog.ProofRefused(logger, http.Request.Path, error.Code, error.Message);
        return new DpopTokenProof(null, error);
    }
}
