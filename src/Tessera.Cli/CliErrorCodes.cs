using Tessera.Jose;

namespace Tessera.Cli;

/// <summary>
/// The codes the CLI prints in <c>error: CODE: message</c>. Token and key failures use the JOSE
/// library's stable codes (<see cref="JoseErrorCodes"/>); these are the few the CLI adds.
/// </summary>
public static class CliErrorCodes
{
    /// <summary>The command line is wrong (exit code 2).</summary>
    public const string Usage = "usage";

    /// <summary>A JWKS URL could not be fetched: connection, timeout, HTTP status or size cap.</summary>
    public const string JwksUnavailable = "jwks_unavailable";

    /// <summary>An input file (other than a key) or stdin could not be read.</summary>
    public const string InputUnreadable = "input_unreadable";

    /// <summary>
    /// A server's key ring is encrypted and no usable key-encryption certificate was given
    /// (<c>Tessera__KeyEncryption__CertificatePath</c>, as for the server), or the one given cannot be opened.
    /// </summary>
    public const string KeyEncryption = "key_encryption";

    /// <summary>A destructive command was not confirmed: the name typed did not match (nothing was changed).</summary>
    public const string NotConfirmed = "not_confirmed";

    /// <summary>Something unexpected failed inside the CLI; reported without a stack trace.</summary>
    public const string Internal = "internal";
}
