using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Tessera.Redis;

/// <summary>
/// Key names. The layout version is part of every name (<c>{prefix}v1:…</c>), so a later layout
/// can live beside this one instead of misreading it; the session hash carries its record format
/// in its <c>v</c> field as well.
/// <para>
/// Two layouts. <see cref="LayoutVersion"/> (v1, one Redis or a replicated primary): names carry
/// no hash tag, and a script reaches every key of a session, its secret indexes and its user's
/// index in one step. <see cref="ClusterLayoutVersion"/> (v2, Redis Cluster,
/// <see cref="RedisSessionStoreOptions.Cluster"/>): every key of one session carries the handle as
/// its hash tag (<c>s:{handle}</c>, <c>attr:{handle}</c>, <c>revoked:{handle}</c>), so they share one
/// slot; each secret index carries its hash (<c>cur:{hash}</c>, <c>prev:{hash}</c>) and the user's
/// index the user id (<c>user:{id}</c>), one slot each. Redis hashes only what is between the first
/// <c>{</c> and the next <c>}</c> (Redis Cluster specification, "Hash tags"), so a prefix must hold no
/// brace in that layout. A v1 deployment keeps its keys (no one is signed out by an upgrade); a
/// deployment moving to a cluster starts from empty sessions under v2.
/// </para>
/// </summary>
internal sealed class RedisKeys
{
    /// <summary>The layout of keys and values this code reads and writes on one Redis.</summary>
    public const string LayoutVersion = "v1:";

    /// <summary>The hash-tagged layout for Redis Cluster.</summary>
    public const string ClusterLayoutVersion = "v2:";

    public RedisKeys(string keyPrefix, bool cluster = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        Cluster = cluster;
        Prefix = keyPrefix + (cluster ? ClusterLayoutVersion : LayoutVersion);
    }

    /// <summary>The prefix with the layout version; Lua scripts build the other names from it (v1).</summary>
    public string Prefix { get; }

    /// <summary>Whether names carry hash tags (v2).</summary>
    public bool Cluster { get; }

    /// <summary>Hash: the session record, by handle.</summary>
    public string Session(string handle) => Name("s:", handle);

    /// <summary>String → handle, by the current secret hash (base64url).</summary>
    public string Current(string hash) => Name("cur:", hash);

    /// <summary>String → handle, by the secret hash the last rotation replaced.</summary>
    public string Previous(string hash) => Name("prev:", hash);

    /// <summary>Sorted set of the user's handles (v1 score: creation time; v2: when the session's keys are gone at the latest).</summary>
    public string User(string userId) => Name("user:", userId);

    /// <summary>Hash: the session's attributes.</summary>
    public string Attributes(string handle) => Name("attr:", handle);

    /// <summary>String (revocation time), present while tokens naming the session may still be unexpired.</summary>
    public string Revoked(string sessionId) => Name("revoked:", sessionId);

    /// <summary>The handle in a session key (<see cref="Session"/>) SCAN returned.</summary>
    public string HandleOf(string sessionKey) =>
        Cluster ? sessionKey[(Prefix.Length + 3)..^1] : sessionKey[(Prefix.Length + 2)..];

    /// <summary>
    /// String counter of <see cref="RedisThrottleStore"/>, by the SHA-256 (base64url) of the
    /// caller's key: a bounded length whatever the key, and no account name or client address in
    /// clear in Redis's key space. One key per script, so it needs no hash tag on a cluster.
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

    // v2: the identifying part is the hash tag. A value holding '}' is still consistent: every
    // key of the same handle starts "{handle", so Redis hashes the same text for all of them.
    private string Name(string kind, string id) => Cluster ? Prefix + kind + "{" + id + "}" : Prefix + kind + id;
}
