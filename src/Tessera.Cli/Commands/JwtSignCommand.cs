using System.CommandLine;
using System.Text.Json.Nodes;
using Tessera.Cli.Input;
using Tessera.Cli.Keys;
using Tessera.Jose;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera jwt sign --jwk FILE [--alg A] [--claims JSON|@FILE] [--exp D] [--iss I] [--aud A]</c>: prints a signed compact JWT.</summary>
internal static class JwtSignCommand
{
    public static Command Create(CliIo io)
    {
        var jwk = new Option<string>("--jwk")
        {
            HelpName = "FILE",
            Description = "The signing key: a file holding a private JWK (or the secret for HS*), or - for stdin.",
            Required = true,
        };
        Option<string?> alg = CommonOptions.Algorithm("The signing algorithm. Default: the key's 'alg', else its type's default (HS256, RS256, ES256/384/512 by curve, EdDSA).");
        var claims = new Option<string?>("--claims")
        {
            HelpName = "JSON|@FILE",
            Description = "The claims: a JSON object, or @FILE to read it from a file (@- for stdin). "
                + "Registered claims keep their types: iss, sub, jti strings; aud a string or array of strings; exp, nbf, iat whole Unix seconds.",
        };
        var exp = new Option<TimeSpan?>("--exp")
        {
            HelpName = "DURATION",
            Description = $"Expire this long after now: {DurationParser.Syntax}, at most {DurationParser.Max.TotalDays:0} days. "
                + $"Default: {ClaimsBuilder.DefaultLifetime.TotalMinutes:0}m, unless --claims has 'exp'.",
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (DurationParser.TryParse(text, out TimeSpan duration, out string? error))
                {
                    return duration;
                }

                result.AddError($"--exp: {error}");
                return null;
            },
        };
        Option<string[]> iss = CommonOptions.Repeatable("--iss", "ISSUER", "The 'iss' claim.");
        Option<string[]> aud = CommonOptions.Repeatable("--aud", "AUDIENCE", "The 'aud' claim; repeat for several audiences (written as an array).");
        var typ = new Option<string?>("--typ")
        {
            HelpName = "TYPE",
            Description = "The header's 'typ'. Default: JWT. Use at+jwt for OAuth access tokens (RFC 9068).",
        };
        Option<long?> now = CommonOptions.Now("for 'iat' and 'exp'");

        var command = new Command("sign", "Sign claims as a compact JWT and print it. 'iat' is added (now) and 'exp' defaults to now + "
            + $"{ClaimsBuilder.DefaultLifetime.TotalMinutes:0}m. Each claim is given once: setting one both in --claims and by "
            + "--iss, --aud or --exp is a usage error (exit 2); an 'iat' or 'exp' in --claims replaces the automatic one. "
            + "The header names the key by its 'kid' (else its RFC 7638 thumbprint).")
        {
            jwk, alg, claims, exp, iss, aud, typ, now,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(typ) is "")
            {
                result.AddError("--typ must not be empty");
            }
        });
        CommonOptions.StdinAtMostOnce(command,
            ("--jwk", r => r.GetValue(jwk)),
            ("--claims", r => r.GetValue(claims) is "@-" ? InputReader.Stdin : null));

        command.SetAction(parsed => Run(io, new Request(
            parsed.GetRequiredValue(jwk),
            parsed.GetValue(alg),
            parsed.GetValue(claims),
            new ClaimsBuilder.Flags(parsed.GetValue(iss) ?? [], parsed.GetValue(aud) ?? [], parsed.GetValue(exp), parsed.GetValue(typ)),
            parsed.GetValue(now))));
        return command;
    }

    private sealed record Request(string Jwk, string? Algorithm, string? Claims, ClaimsBuilder.Flags Flags, long? Now);

    private static int Run(CliIo io, Request request)
    {
        var input = new InputReader(io.In);
        JsonObject? claims = request.Claims is { } text ? ReadClaims(input, text) : null;
        Jwk key = new KeyLoader(input).LoadJwk(request.Jwk);
        DateTimeOffset now = CommonOptions.Clock(request.Now, io).GetUtcNow();
        JwtDescriptor descriptor = ClaimsBuilder.Build(claims, request.Flags, now);

        string token;
        try
        {
            token = JwtSigner.Sign(descriptor, key, request.Algorithm);
        }
        catch (JoseException exception)
        {
            throw CliException.From(exception.Error);
        }

        io.Out.WriteLine(token);
        return ExitCodes.Ok;
    }

    private static JsonObject ReadClaims(InputReader input, string value)
    {
        if (!value.StartsWith('@'))
        {
            return ClaimsBuilder.ParseObject(value, "the command line");
        }

        string path = value[1..];
        if (path.Length == 0)
        {
            throw CliException.Usage("--claims @FILE needs a file name (or @- for stdin)");
        }

        string json = input.ReadText(path, "the claims (--claims)", CliErrorCodes.InputUnreadable);
        return ClaimsBuilder.ParseObject(json, InputReader.Describe(path));
    }
}
