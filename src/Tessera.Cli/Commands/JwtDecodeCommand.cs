using System.CommandLine;
using Tessera.Cli.Input;
using Tessera.Cli.Output;
using Tessera.Jose;
using Tessera.Jose.Jwt;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera jwt decode TOKEN</c>: shows header and payload, verifying nothing.</summary>
internal static class JwtDecodeCommand
{
    public static Command Create(CliIo io)
    {
        var token = new Argument<string>("TOKEN")
        {
            Description = "The compact JWT (header.payload.signature), or - to read it from stdin.",
        };
        var command = new Command("decode", "Print a JWT's header and payload as JSON WITHOUT verifying anything: the output is marked \"verified\": false. Exit 1 with 'error: malformed: …' when the token cannot be read.")
        {
            token,
        };
        command.SetAction(parsed => Run(io, parsed.GetRequiredValue(token)));
        return command;
    }

    private static int Run(CliIo io, string tokenArgument)
    {
        string token = new InputReader(io.In).ReadToken(tokenArgument);
        if (!JwtDecoder.TryDecodeUnverified(token, out UnverifiedJwt? decoded, out JoseError? error))
        {
            throw CliException.From(error!);
        }

        JsonOutput.Write(io.Out, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("verified", false);
            writer.WritePropertyName("header");
            decoded!.Header.WriteTo(writer);
            writer.WritePropertyName("payload");
            decoded.Payload.WriteTo(writer);
            writer.WriteEndObject();
        });
        return ExitCodes.Ok;
    }
}
