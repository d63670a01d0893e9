using System.CommandLine;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera jwt decode|verify|sign</c>.</summary>
internal static class JwtCommand
{
    public static Command Create(CliIo io) => new("jwt", "Decode, verify and sign JSON Web Tokens (compact JWS).")
    {
        JwtDecodeCommand.Create(io),
        JwtVerifyCommand.Create(io),
        JwtSignCommand.Create(io),
    };
}
