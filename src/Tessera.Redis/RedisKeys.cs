using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Tessera.Redis;

/// <summary>
/// Key names. The layout version is part of every name (<c>{prefix}v1:…</c>), so a later layout
/// can live beside this one instead of misreading it; the session hash carries its record format
/// in its <c>v</c> field as well.
/// </summary>
internal sealed class RedisKeys
{
    /// <summary>The layout of keys and values this code reads and writes.</summary>
    public const string LayoutVersion = "v1:";

    public RedisKeys(string keyPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        Prefix = keyPrefix + LayoutVersion;
    }

    /// <summary>The prefix with the layout version; Lua scripts build the other names from it.</summary>
    public string Prefix { get; }

    /// <summary>Hash: the session record, by handle.</summary>
    public string Session(string handle) => Prefix + "s:" + handle;

    /// <summary>String → handle, by the current secret hash (base64url).</summary>
    public string Current(string hash) => Prefix + "cur:" + hash;

    /// <summary>String → handle, by the secret hash the last rotation replaced.</summary>
    public string Previous(string hash) => Prefix + "prev:" + hash;

    /// <summary>Sorted set of the user's handles (score: creation time), pruned as sessions disappear.</summary>
    public string User(string userId) => Prefix + "user:" + userId;

    /// <summary>Hash: the session's attributes.</summary>
    public string Attributes(string handle) => Prefix + "attr:" + handle;

    /// <summary>String (revocation time), present while tokens naming the session may still be unexpired.</summary>
    public string Revoked(string sessionId) => Prefix + "revoked:" + sessionId;

    /// <summary>
    /// String counter of <see cref="RedisThrottleStore"/>, by the SHA-256 (base64url) of the
    /// caller's key: a bounded length whatever the key, and no account name or client address in
    /// clear in Redis's key space.
    /// </summary>
    public string Throttle(string key) => Prefix + "throttle:" + Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A SCAN pattern matching every session hash (glob characters of the prefix escaped).</summary>
    public string SessionPattern()
    {
        var pattern = new System.Text.StringBuilder();
        foreach (char c in Prefix)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                pattern.Append('\\');
            }

            pattern.Append(c);
        }

        return pattern.Append("s:*").ToString();
    }
}
