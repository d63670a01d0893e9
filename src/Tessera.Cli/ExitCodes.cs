namespace Tessera.Cli;

/// <summary>The process exit codes: part of the contract other tooling relies on.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked (for <c>jwt verify</c>: the token is valid).</summary>
    public const int Ok = 0;

    /// <summary>Verification failed, or an input (token, key, file, URL) was unusable.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself was wrong: unknown option, missing or conflicting options, bad value.</summary>
    public const int Usage = 2;
}
