using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.Keys;
using Tessera.OAuth;
using Tessera.OAuth.IdTokens;
using Tessera.Sessions;
using Tessera.Tests.Tokens;
using Tessera.Tokens;
using Tessera.Users;

namespace Tessera.Tests.OAuth;

/// <summary>A key ring, the ID-token issuer and hint validator over in-memory keys and a fake clock, with one user, client and session.</summary>
internal sealed class IdTokenHarness : IDisposable
{
    public const string Issuer = "https://id.example.test";

    public IdTokenHarness(TesseraTokenOptions? options = null, DateTimeOffset? start = null, ISigningKeyStore? keyStore = null)
    {
        // Microsoft.IdentityModel checks exp against the real clock: start there unless told otherwise.
        Time = new FakeTimeProvider(start ?? DateTimeOffset.UtcNow);
        Options = options ?? new TesseraTokenOptions();
        KeyStore = keyStore ?? new InMemorySigningKeyStore();
        Keys = new SigningKeyRing(KeyStore, new PrefixSecretProtector(), Options, Time);
        IdTokens = new IdTokenIssuer(Options, Time);
        Hints = new IdTokenHintValidator(Keys, Options, Time);
        DateTimeOffset now = Clock.Now(Time);
        User = new UserRecord { Id = "user-7", Username = "Alice", NormalizedUsername = "alice", PasswordHash = "$argon2id$unused", CreatedAt = now };
        Client = new OAuthClient
        {
            ClientId = "shop-app",
            DisplayName = "The shop",
            ClientType = ClientTypes.Public,
            TokenEndpointAuthMethod = ClientAuthMethods.None,
            CreatedAt = now,
        };
        Session = new SessionRecord
        {
            Handle = "session-handle-1",
            UserId = User.Id,
            SecretHash = new byte[32],
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now.AddDays(14),
            AbsoluteExpiresAt = now.AddDays(30),
            Kind = SessionKinds.Token,
            ClientId = Client.ClientId,
            Scope = "openid profile",
            AuthenticatedAt = now,
        };
    }

    public FakeTimeProvider Time { get; }

    public TesseraTokenOptions Options { get; }

    public ISigningKeyStore KeyStore { get; }

    public SigningKeyRing Keys { get; }

    public IdTokenIssuer IdTokens { get; }

    public IdTokenHintValidator Hints { get; }

    public UserRecord User { get; }

    public OAuthClient Client { get; }

    public SessionRecord Session { get; }

    public IdTokenRequest Request(string alg = "RS256", string? nonce = "n-0S6_WzA2Mj", string? accessToken = null, params string[] scopes) => new()
    {
        Session = Session,
        User = User,
        Client = Client with { IdTokenSignedResponseAlg = alg },
        Issuer = Issuer,
        AuthTime = Session.AuthenticatedAt!.Value.AddMinutes(-3),
        Scopes = scopes.Length == 0 ? ["openid"] : scopes,
        Nonce = nonce,
        AccessToken = accessToken,
    };

    /// <summary>An ID token signed now; fails the test when the issuer refuses.</summary>
    public async Task<string> IssueAsync(IdTokenRequest request)
    {
        Outcome<string> issued = IdTokens.Issue(request, await Keys.GetAsync(CancellationToken.None));
        Assert.True(issued.Succeeded, issued.Error?.Message);
        return issued.Value;
    }

    public ValueTask<Outcome<IdTokenHint>> ValidateHintAsync(string? hint, string issuer = Issuer) =>
        Hints.ValidateAsync(hint, issuer, CancellationToken.None);

    public void Dispose() => Keys.Dispose();
}
