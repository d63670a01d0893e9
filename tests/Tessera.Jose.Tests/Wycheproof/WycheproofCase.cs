using System.Text.Json;

namespace Tessera.Jose.Tests.Wycheproof;

/// <summary>
/// One Project Wycheproof JOSE test: the token, the key its group carries (the public key when the
/// group has one, as a verifier would hold it; otherwise the secret), and the expected result.
/// </summary>
public sealed record WycheproofCase(
    string File,
    int TcId,
    string Comment,
    string Result,
    IReadOnlyList<string> Flags,
    string? CompactToken,
    JsonElement Token,
    JsonElement Key,
    string? SkipReason)
{
    public bool IsRunnable => SkipReason is null;

    /// <summary>The key as a verifier gets it: a JWK, or a JWK Set when it has a <c>keys</c> member.</summary>
    public bool KeyIsSet => Key.TryGetProperty("keys", out _);

    public override string ToString() => $"{File} #{TcId} ({Comment})";
}
