using Fido2NetLib;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Tokens;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Passkeys;

/// <summary>
/// Who the relying party is for a request (WebAuthn §5.1.2 RP id, §7.1 step 9 / §7.2 step 13 the
/// expected origins), and the <see cref="Fido2"/> verifier configured with exactly that. Configured
/// values win; otherwise the token issuer's host and origin (the name the server already goes by),
/// or the request's when no issuer is configured, as <see cref="TokenIssuer"/> does.
/// </summary>
internal sealed class PasskeyRelyingParty(IOptionsMonitor<TesseraPasskeyOptions> options, IOptions<TesseraTokenOptions> tokens)
{
    /// <summary>How long the browser is told the ceremony may take (the state lives exactly as long).</summary>
    public static readonly TimeSpan Timeout = PasskeyStates.Lifetime;

    /// <summary>The challenge length: 32 random bytes (WebAuthn §13.4.3 asks for at least 16).</summary>
    public const int ChallengeSize = 32;

    /// <summary>The configuration the verifier checks against for <paramref name="request"/>.</summary>
    public Fido2Configuration ConfigurationFor(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        TesseraPasskeyOptions settings = options.CurrentValue;
        var issuer = new Uri(TokenIssuer.For(request, tokens.Value), UriKind.Absolute);
        string origin = issuer.GetLeftPart(UriPartial.Authority);
        return new Fido2Configuration
        {
            RPID = settings.RelyingPartyId ?? issuer.IdnHost,
            RPName = settings.RelyingPartyName,
            Origins = new HashSet<string>(settings.Origins.Count > 0 ? settings.Origins : [origin], StringComparer.OrdinalIgnoreCase),
            Timeout = (uint)Timeout.TotalMilliseconds,
            ChallengeSize = ChallengeSize,
        };
    }

    /// <summary>The verifier for <paramref name="configuration"/> (no metadata service: attestation is <c>none</c>).</summary>
    public static Fido2 Verifier(Fido2Configuration configuration) => new(configuration);
}
