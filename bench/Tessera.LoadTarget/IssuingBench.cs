using System.Text;

namespace Tessera.LoadTarget;

/// <summary>
/// What the harness and the target agree on for the issuing-side scenarios (#13): the bench-only
/// endpoints that hand the harness what wrk sends, and the fixed clients and password. Shared (as
/// a linked file) with the harness. None of these values protects anything outside a benchmark run.
/// </summary>
public static class IssuingBench
{
    /// <summary>
    /// <c>POST ?count=N</c>: N fresh items, one per line (refresh tokens, request bodies or access
    /// tokens, by scenario), issued through Tessera's own services on the scenario's store.
    /// </summary>
    public const string FeedPath = "/bench/issuing/feed";

    /// <summary><c>POST ?milliseconds=M</c>: runs the server's password hasher in a loop for M ms (one loop per core) and answers how many hashes it did.</summary>
    public const string HashPath = "/bench/issuing/hash";

    /// <summary>
    /// <c>POST ?milliseconds=M</c> (the cache-miss row): verifies one of the row's tokens with bare .NET
    /// ECDsa in a loop for M ms (one loop per core) and answers how many verifications it did.
    /// </summary>
    public const string VerifyPath = "/bench/issuing/verify";

    /// <summary>The issuer of the issuing targets' tokens (Tessera:Tokens:Issuer), so every token names the same one.</summary>
    public const string Issuer = "https://id.tessera.bench";

    /// <summary>A confidential client that may use client_credentials (client_secret_basic).</summary>
    public const string ServiceClientId = "bench-service";

    /// <summary>Its secret: 43 base64url characters, as Tessera's configured clients take them.</summary>
    public const string ServiceClientSecret = "4MwGG1SLXti3C6J2N8M6cZdSVO4AZzmUeYJa3a8hhf4";

    /// <summary>The scope the service client is registered for and asks for.</summary>
    public const string ServiceScope = "bench.read";

    /// <summary>A resource server allowed to introspect (Tessera:Introspection:Clients).</summary>
    public const string IntrospectionClientId = "bench-resource";

    /// <summary>Its secret.</summary>
    public const string IntrospectionClientSecret = "sYFR9dux9jrIAtJiu4S4v9Ok19dIFe8UvTF_doxo038";

    /// <summary>Every pre-created user's password (password sign-in verifies it with Argon2id at the default cost).</summary>
    public const string Password = "bench correct horse battery staple";

    /// <summary>An HTTP Basic <c>Authorization</c> value (RFC 7617); the ids and secrets are URL-safe, so form-encoding (RFC 6749 §2.3.1) changes nothing.</summary>
    public static string Basic(string clientId, string secret) =>
        "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes(clientId + ":" + secret));
}
