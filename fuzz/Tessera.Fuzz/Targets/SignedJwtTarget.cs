using System.Text.Json;
using Tessera.Jose;
using Tessera.Jose.Jws;
using Tessera.Jose.Jwt;

namespace Tessera.Fuzz.Targets;

/// <summary>
/// The claims reader behind a good signature: the input is a protected header and a payload
/// (split at the first NUL byte; without one, the whole input is the payload under
/// <c>{"alg":"HS256"}</c>), signed with the harness' HS256 key, then validated. Mutating a token
/// breaks its signature, so only this target reaches JwtClaimsReader with arbitrary claims.
/// Documented: <see cref="JoseException"/> from the signer for a header it must not sign.
/// Properties: what the validator reads for <c>iss</c>/<c>sub</c> is what a plain JSON parse of the
/// payload reads, and the verified payload is the input's, byte for byte.
/// </summary>
internal static class SignedJwtTarget
{
    private static readonly byte[] DefaultHeader = """{"alg":"HS256"}"""u8.ToArray();

    private static readonly JwtValidator Validator = new(new JwtValidationPolicy
    {
        RequiredClaims = [],
        AllowedAlgorithms = ["HS256"],
        TimeProvider = FixedTime.Default,
    });

    private static readonly JwtValidator Strict = new(new JwtValidationPolicy
    {
        AllowedAlgorithms = ["HS256"],
        ValidIssuers = ["https://issuer.example"],
        ValidAudiences = ["api"],
        RequiredClaims = ["exp", "sub", "iat"],
        MaxTokenAge = TimeSpan.FromHours(1),
        TimeProvider = FixedTime.Default,
    });

    public static void Run(ReadOnlySpan<byte> input)
    {
        int nul = input.IndexOf((byte)0);
        ReadOnlySpan<byte> header = nul < 0 ? DefaultHeader : input[..nul];
        ReadOnlySpan<byte> payload = nul < 0 ? input : input[(nul + 1)..];

        string token;
        try
        {
            token = JwsSigner.SignWithHeader(header, payload, FuzzKeys.Signing);
        }
        catch (JoseException)
        {
            return;
        }

        JwtValidation lax = Validator.Validate(token, FuzzKeys.Symmetric);
        JwtValidation strict = Strict.Validate(token, FuzzKeys.Symmetric);
        FuzzPropertyException.Check(!strict.IsValid || lax.IsValid, "a token the strict policy accepts, the lax one accepts too");
        if (!lax.IsValid)
        {
            return;
        }

        JwtClaims claims = lax.Claims!;
        FuzzPropertyException.Check(claims.RawPayload.Span.SequenceEqual(payload), "the verified payload is the one signed");
        using JsonDocument document = JsonDocument.Parse(payload.ToArray());
        FuzzPropertyException.Check(StringMember(document.RootElement, "iss") == claims.Issuer, "iss as read equals iss as parsed");
        FuzzPropertyException.Check(StringMember(document.RootElement, "sub") == claims.Subject, "sub as read equals sub as parsed");
        _ = claims.Audiences;
        _ = claims.Root.ValueKind;
    }

    private static string? StringMember(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
