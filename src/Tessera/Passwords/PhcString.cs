using System.Globalization;
using System.Text;

namespace Tessera.Passwords;

/// <summary>
/// The PHC string format for Argon2 hashes, as written by the reference implementation:
/// <c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c>, salt and hash in standard base64
/// without padding. The algorithm name and version are in the string, so every stored hash says how
/// it was made and can be upgraded later.
/// </summary>
public sealed record PhcString(string Algorithm, int Version, int MemoryKiB, int Iterations, int Parallelism, byte[] Salt, byte[] Hash)
{
    /// <summary>The PHC algorithm identifier of Argon2id (<c>$argon2id$…</c>).</summary>
    public const string Argon2id = "argon2id";

    /// <summary>Argon2 version 1.3 (0x13), the only one RFC 9106 specifies.</summary>
    public const int Argon2Version13 = 0x13;

    /// <summary>The PHC string form, <c>$argon2id$v=19$m=…,t=…,p=…$salt$hash</c> with unpadded standard base64, as stored.</summary>
    public string Format()
    {
        var builder = new StringBuilder(128);
        builder.Append('$').Append(Algorithm)
            .Append(CultureInfo.InvariantCulture, $"$v={Version}$m={MemoryKiB},t={Iterations},p={Parallelism}$")
            .Append(EncodeBase64(Salt)).Append('$').Append(EncodeBase64(Hash));
        return builder.ToString();
    }

    /// <summary>Reads a PHC string; null when it is not a well-formed Argon2 PHC string.</summary>
    public static PhcString? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 512)
        {
            return null;
        }

        string[] parts = text.Split('$');
        // "", algorithm, "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.Length != 6 || parts[0].Length != 0)
        {
            return null;
        }

        if (!TryReadNamed(parts[2], "v", out int version))
        {
            return null;
        }

        string[] costs = parts[3].Split(',');
        if (costs.Length != 3
            || !TryReadNamed(costs[0], "m", out int memory)
            || !TryReadNamed(costs[1], "t", out int iterations)
            || !TryReadNamed(costs[2], "p", out int parallelism))
        {
            return null;
        }

        byte[]? salt = DecodeBase64(parts[4]);
        byte[]? hash = DecodeBase64(parts[5]);
        if (salt is null || hash is null || salt.Length == 0 || hash.Length == 0)
        {
            return null;
        }

        return new PhcString(parts[1], version, memory, iterations, parallelism, salt, hash);
    }

    private static bool TryReadNamed(string part, string name, out int value)
    {
        value = 0;
        if (part.Length <= name.Length + 1 || !part.StartsWith(name, StringComparison.Ordinal) || part[name.Length] != '=')
        {
            return false;
        }

        ReadOnlySpan<char> digits = part.AsSpan(name.Length + 1);
        // Digits only: no sign, no spaces, no leading zeros (the PHC format forbids them).
        if (digits.Length > 10 || (digits.Length > 1 && digits[0] == '0') || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static string EncodeBase64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[]? DecodeBase64(string text)
    {
        if (text.Length == 0 || text.Contains('=', StringComparison.Ordinal) || text.Length % 4 == 1)
        {
            return null;
        }

        string padded = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        byte[] buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(padded, buffer, out int written))
        {
            return null;
        }

        byte[] result = buffer.AsSpan(0, written).ToArray();
        // Reject non-canonical encodings (stray bits in the last character).
        return EncodeBase64(result) == text ? result : null;
    }
}
