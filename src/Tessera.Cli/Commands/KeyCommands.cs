using System.CommandLine;
using Tessera.Cli.Input;
using Tessera.Cli.Keys;
using Tessera.Cli.Output;
using Tessera.Jose;
using Tessera.Jose.Keys;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera key generate|public|thumbprint</c>.</summary>
internal static class KeyCommands
{
    public static Command Create(CliIo io) => new("key", "Generate JSON Web Keys and inspect them.")
    {
        Generate(io),
        Public(io),
        Thumbprint(io),
        ServerKeyCommands.List(io),
        ServerKeyCommands.Rotate(io),
        ServerKeyCommands.Retire(io),
    };

    private static Command Generate(CliIo io)
    {
        Option<string?> alg = CommonOptions.Algorithm("The algorithm the key is for; it is recorded as the key's 'alg'. RSA keys have 2048 bits, HMAC secrets the hash's size.", required: true);
        var kid = new Option<string?>("--kid")
        {
            HelpName = "KID",
            Description = "The key id. Default: the key's RFC 7638 thumbprint.",
        };
        var command = new Command("generate", "Generate a new key and print it as a private JWK (JSON). The output is secret: store it safely.")
        {
            alg, kid,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(kid) is "")
            {
                result.AddError("--kid must not be empty");
            }
        });
        command.SetAction(parsed =>
        {
            Jwk key = Jwk.Generate(parsed.GetRequiredValue(alg)!, parsed.GetValue(kid));
            JsonOutput.WriteDocument(io.Out, key.ToJson(includePrivate: true));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Public(CliIo io)
    {
        Argument<string> file = KeyFile();
        var command = new Command("public", "Read a private JWK and print its public form (JSON). An oct (HMAC) key is a shared secret with no public form: exit 1.")
        {
            file,
        };
        command.SetAction(parsed =>
        {
            Jwk key = Load(io, parsed.GetRequiredValue(file));
            if (key.KeyType == JwkKeyType.Octet)
            {
                throw new CliException(JoseErrorCodes.KeyInvalid, "an oct (symmetric) key is a shared secret and has no public form; never publish it");
            }

            JsonOutput.WriteDocument(io.Out, key.ToPublicJwk().ToJson());
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Thumbprint(CliIo io)
    {
        Argument<string> file = KeyFile();
        var command = new Command("thumbprint", "Print a JWK's RFC 7638 SHA-256 thumbprint (base64url). Private and public forms of a key have the same thumbprint.")
        {
            file,
        };
        command.SetAction(parsed =>
        {
            io.Out.WriteLine(Load(io, parsed.GetRequiredValue(file)).Thumbprint);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<string> KeyFile() => new("FILE")
    {
        Description = "A file holding the JWK, or - for stdin (the default).",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => InputReader.Stdin,
    };

    private static Jwk Load(CliIo io, string file) =>
        new KeyLoader(new InputReader(io.In)).LoadJwk(file, "FILE");
}
