using System.CommandLine;
using Tessera.Cli.Input;
using Tessera.Cli.Keys;
using Tessera.Cli.Output;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera jwt verify TOKEN (--jwk FILE | --jwks FILE_OR_URL) [--alg A[,B]] [--iss I] [--aud A] [--typ T] [--now S]</c>:
/// validates signature and claims with the library's <see cref="JwtValidator"/>; prints the payload when valid.
/// </summary>
internal static class JwtVerifyCommand
{
    public static Command Create(CliIo io)
    {
        var token = new Argument<string>("TOKEN")
        {
            Description = "The compact JWT, or - to read it from stdin.",
        };
        var jwk = new Option<string?>("--jwk")
        {
            HelpName = "FILE",
            Description = "The verification key: a file holding one JWK (public, or the secret for HS*), or - for stdin.",
        };
        var jwks = new Option<string?>("--jwks")
        {
            HelpName = "FILE_OR_URL",
            Description = "The verification keys: a JWK Set ({\"keys\":[…]}) in a file, on stdin (-), or at an http(s) URL. "
                + "The token's 'kid' picks the key. A URL that cannot be fetched (connection, 10 s timeout, HTTP status, 1 MiB cap) fails with 'jwks_unavailable'.",
        };
        Option<string[]> alg = CommonOptions.AlgorithmList(
            "The algorithms accepted, comma-separated or repeated. Default: what the key allows — its own 'alg', else its key type's algorithms. 'none' is never accepted.");
        Option<string[]> iss = CommonOptions.Repeatable("--iss", "ISSUER", "Require the 'iss' claim to equal this (exact match; repeat to accept any of several).");
        Option<string[]> aud = CommonOptions.Repeatable("--aud", "AUDIENCE", "Require one of the token's 'aud' values to equal this (repeat to accept any of several).");
        var typ = new Option<string?>("--typ")
        {
            HelpName = "TYPE",
            Description = "Require the header's 'typ' to be this, e.g. at+jwt (an 'application/' prefix and case are ignored).",
        };
        Option<long?> now = CommonOptions.Now("for checking 'exp', 'nbf' and 'iat' (60 s of clock skew are allowed)");

        var command = new Command("verify", "Verify a JWT's signature and claims. Valid: prints the payload as JSON, exit 0. "
            + "Not valid: 'error: CODE: message' on stderr, exit 1; CODE is stable, e.g. expired, not_yet_valid, signature_invalid, alg_not_allowed, "
            + "key_not_found, issuer_invalid, audience_invalid, type_invalid, claim_missing (a token without 'exp' is refused), malformed, key_invalid, jwks_unavailable. "
            + "Give exactly one of --jwk and --jwks.")
        {
            token, jwk, jwks, alg, iss, aud, typ, now,
        };
        command.Validators.Add(result =>
        {
            bool hasJwk = result.GetValue(jwk) is not null;
            bool hasJwks = result.GetValue(jwks) is not null;
            if (hasJwk == hasJwks)
            {
                result.AddError(hasJwk ? "give either --jwk or --jwks, not both" : "a key is required: give --jwk FILE or --jwks FILE_OR_URL");
            }

            if (result.GetValue(jwks) is { } source && JwksFetcher.LooksLikeUrl(source) && JwksFetcher.TryParseHttpUrl(source) is null)
            {
                result.AddError("--jwks accepts a file, - or an http:// or https:// URL");
            }

            if (result.GetValue(typ) is "")
            {
                result.AddError("--typ must not be empty");
            }
        });
        CommonOptions.StdinAtMostOnce(command,
            ("TOKEN", r => r.GetValue(token)),
            ("--jwk", r => r.GetValue(jwk)),
            ("--jwks", r => r.GetValue(jwks)));

        command.SetAction((parsed, cancellationToken) => RunAsync(io, new Request(
            parsed.GetRequiredValue(token),
            parsed.GetValue(jwk),
            parsed.GetValue(jwks),
            parsed.GetValue(alg) ?? [],
            parsed.GetValue(iss) ?? [],
            parsed.GetValue(aud) ?? [],
            parsed.GetValue(typ),
            parsed.GetValue(now)), cancellationToken));
        return command;
    }

    private sealed record Request(string Token, string? Jwk, string? Jwks, string[] Algorithms, string[] Issuers, string[] Audiences, string? Type, long? Now);

    private static async Task<int> RunAsync(CliIo io, Request request, CancellationToken cancellationToken)
    {
        var input = new InputReader(io.In);
        var keys = new KeyLoader(input);
        string token = input.ReadToken(request.Token);
        // A --jwk is the key the user chose, tried whatever kid the token names; in a --jwks the kid picks the key.
        Jwk? chosenKey = request.Jwk is { } jwkFile ? keys.LoadJwk(jwkFile) : null;
        JwkSet? keySet = chosenKey is null
            ? await keys.LoadJwkSetAsync(request.Jwks!, new JwksFetcher(io.HttpClient, io.JwksTimeout, io.JwksMaxBytes), cancellationToken).ConfigureAwait(false)
            : null;

        var policy = new JwtValidationPolicy
        {
            // Null lets the key decide: its own 'alg', else its type's algorithms.
            AllowedAlgorithms = request.Algorithms.Length > 0 ? request.Algorithms : null,
            ValidIssuers = request.Issuers.Length > 0 ? request.Issuers : null,
            ValidAudiences = request.Audiences.Length > 0 ? request.Audiences : null,
            RequiredType = request.Type,
            TimeProvider = CommonOptions.Clock(request.Now, io),
        };
        var validator = new JwtValidator(policy);
        JwtValidation result = chosenKey is not null ? validator.Validate(token, chosenKey) : validator.Validate(token, keySet!);
        if (!result.IsValid)
        {
            throw CliException.From(result.Error!);
        }

        JsonOutput.Write(io.Out, result.Claims!.Root);
        return ExitCodes.Ok;
    }
}
