using System.Buffers.Text;
using Microsoft.AspNetCore.DataProtection;
using Tessera.AspNetCore.Tokens;
using Tessera.InMemory;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;
using Tessera.Keys;
using Tessera.Sessions;
using Tessera.Sqlite;
using Tessera.Tokens;

namespace Tessera.LoadTarget;

/// <summary>
/// Issues access tokens the way Tessera's token sign-in does: <see cref="TokenService.IssueAsync"/>
/// starts a token session and signs the access token with the key ring's current key. HS256 is the
/// exception: the server signs only with asymmetric keys, so the same payload is re-signed with a
/// shared secret (same claims, same size class, another algorithm).
/// </summary>
public sealed class BenchTokenIssuer : IDisposable
{
    public const string Issuer = "https://id.tessera.bench";
    public const string AccessTokenType = "at+jwt";

    private readonly TokenService _tokens;
    private readonly SessionService _sessions;
    private readonly SigningKeyRing _ring;
    private readonly Jwk? _sharedSecret;

    private BenchTokenIssuer(TokenService tokens, SessionService sessions, SigningKeyRing ring, Jwk? sharedSecret, JwkSet verificationKeys)
    {
        _tokens = tokens;
        _sessions = sessions;
        _ring = ring;
        _sharedSecret = sharedSecret;
        VerificationKeys = verificationKeys;
    }

    /// <summary>The keys a resource server verifies with: the published JWKS, or the shared secret for HS256.</summary>
    public JwkSet VerificationKeys { get; }

    /// <summary>The <c>aud</c> of the tokens.</summary>
    public string Audience => _tokens.Options.Audience;

    public string Algorithm { get; private init; } = "";

    /// <summary>
    /// An issuer for <paramref name="algorithm"/>. With <paramref name="keysFolder"/>, the key ring
    /// (a SQLite file, its private keys under a Data Protection key ring in the same folder) is
    /// kept there, so a restarted target, or a second one on the same folder, signs and verifies
    /// with the same keys (the restart and second-server measurements); without it, keys live
    /// only as long as the process.
    /// </summary>
    public static async Task<BenchTokenIssuer> CreateAsync(string algorithm, ISessionStore sessions, string? keysFolder = null)
    {
        bool shared = algorithm.StartsWith("HS", StringComparison.Ordinal);
        // The harness checks every credential again after the rounds (nothing may have broken or expired
        // during them), and a full run's request-path rows (warm-up and settling of each target, then
        // the rounds) take longer than the default 15 minutes of an access token.
        var options = new TesseraTokenOptions { Algorithm = shared ? "ES256" : algorithm, AccessTokenLifetime = TimeSpan.FromHours(2) };
        var ring = keysFolder is null
            ? new SigningKeyRing(new InMemorySigningKeyStore(), new DataProtectionSecretProtector(new EphemeralDataProtectionProvider()), options, TimeProvider.System)
            : await PersistedRingAsync(keysFolder, options);
        var sessionService = new SessionService(sessions, new TesseraSessionOptions(), TimeProvider.System);
        var tokens = new TokenService(sessions, sessionService, ring, options, TimeProvider.System);
        Jwk? secret = shared ? Jwk.Generate(algorithm, "bench-" + algorithm.ToLowerInvariant()) : null;
        JwkSet keys = secret is not null ? JwkSet.Of(secret) : await tokens.PublishedKeysAsync(CancellationToken.None);
        return new BenchTokenIssuer(tokens, sessionService, ring, secret, keys) { Algorithm = algorithm };
    }

    public async Task<string> IssueAsync(string userId, SessionClient client, CancellationToken cancellationToken)
    {
        IssuedTokens pair = await _tokens.IssueAsync(userId, client, Issuer, cancellationToken);
        if (_sharedSecret is null)
        {
            return pair.AccessToken;
        }

        string encodedPayload = pair.AccessToken.Split('.')[1];
        byte[] payload = Base64Url.DecodeFromChars(encodedPayload);
        return JwsSigner.Sign(payload, _sharedSecret, new JwsSigningOptions { Algorithm = Algorithm, Type = AccessTokenType });
    }

    /// <summary>
    /// <paramref name="count"/> distinct access tokens for <paramref name="userId"/> (#13's cache-miss
    /// row): one issued by <see cref="IssueAsync"/>, the others its payload with a fresh <c>jti</c>,
    /// each signed anew with the ring's current key under the same protected header, so every token
    /// is a genuine, unique signature that a verified-token cache has never seen. Only one session is
    /// stored, however many tokens (the handler under test checks no session).
    /// </summary>
    public async Task<IReadOnlyList<string>> IssueUniqueAsync(string userId, SessionClient client, int count, CancellationToken cancellationToken)
    {
        string first = await IssueAsync(userId, client, cancellationToken);
        if (_sharedSecret is not null)
        {
            throw new InvalidOperationException("unique tokens are made for the ring's asymmetric keys only");
        }

        string[] parts = first.Split('.');
        byte[] header = Base64Url.DecodeFromChars(parts[0]);
        string payload = System.Text.Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        string jti = System.Text.Json.JsonDocument.Parse(payload).RootElement.GetProperty("jti").GetString()!;
        Jwk key = (await _ring.GetAsync(cancellationToken)).SigningKey;
        var tokens = new string[count];
        tokens[0] = first;
        Parallel.For(1, count, i =>
        {
            string unique = payload.Replace("\"" + jti + "\"", "\"" + RandomIds.New128() + "\"", StringComparison.Ordinal);
            tokens[i] = JwsSigner.SignWithHeader(header, System.Text.Encoding.UTF8.GetBytes(unique), key);
        });
        return tokens;
    }

    /// <summary>Ends the token session, as the issuer's sign-out does.</summary>
    public async Task RevokeAsync(string sessionId, CancellationToken cancellationToken) =>
        await _sessions.RevokeAsync(sessionId, RevocationReasons.SignedOut, cancellationToken);

    public void Dispose() => _ring.Dispose();

    private static async Task<SigningKeyRing> PersistedRingAsync(string folder, TesseraTokenOptions options)
    {
        Directory.CreateDirectory(folder);
        var database = new SqliteDatabase(Path.Combine(folder, "signing-keys.db"));
        await database.MigrateAsync(TesseraSqliteSchema.Migrations, CancellationToken.None);
        IDataProtectionProvider protection = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(folder, "data-protection")));
        return new SigningKeyRing(new SqliteSigningKeyStore(database), new DataProtectionSecretProtector(protection), options, TimeProvider.System);
    }
}
