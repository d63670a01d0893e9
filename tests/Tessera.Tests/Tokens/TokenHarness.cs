using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.Keys;
using Tessera.Sessions;
using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

/// <summary>Token mode over the in-memory stores and a fake clock, as the server composes it.</summary>
internal sealed class TokenHarness : IDisposable
{
    public const string Issuer = "https://id.example.test";

    public static readonly SessionClient Home = new("198.51.100.1", "Browser/1");

    public TokenHarness(TesseraSessionOptions? sessionOptions = null, TesseraTokenOptions? tokenOptions = null, ISessionStore? store = null, ISigningKeyStore? keyStore = null, FakeTimeProvider? time = null, RecordingLogger<TokenService>? log = null)
    {
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Store = store ?? new InMemorySessionStore();
        KeyStore = keyStore ?? new InMemorySigningKeyStore();
        TokenOptions = tokenOptions ?? new TesseraTokenOptions();
        Sessions = new SessionService(Store, sessionOptions ?? new TesseraSessionOptions(), Time);
        Keys = new SigningKeyRing(KeyStore, new PrefixSecretProtector(), TokenOptions, Time);
        Tokens = new TokenService(Store, Sessions, Keys, TokenOptions, Time, logger: log);
    }

    public FakeTimeProvider Time { get; }

    public ISessionStore Store { get; }

    public ISigningKeyStore KeyStore { get; }

    public TesseraTokenOptions TokenOptions { get; }

    public SessionService Sessions { get; }

    public SigningKeyRing Keys { get; }

    public TokenService Tokens { get; }

    public ValueTask<IssuedTokens> SignInAsync(SessionClient? client = null) =>
        Tokens.IssueAsync("user-1", client ?? Home, Issuer, CancellationToken.None);

    public ValueTask<Outcome<IssuedTokens>> RefreshAsync(string refreshToken, SessionClient? client = null) =>
        Tokens.RefreshAsync(refreshToken, client ?? Home, Issuer, CancellationToken.None);

    public ValueTask<Outcome<ValidatedAccessToken>> ValidateAsync(string accessToken, SessionClient? client = null) =>
        Tokens.ValidateAccessTokenAsync(accessToken, client ?? Home, Issuer, CancellationToken.None);

    public async ValueTask<SessionRecord> StoredAsync(string handle) =>
        (await Store.FindByHandleAsync(handle, CancellationToken.None))!;

    public void Dispose() => Keys.Dispose();
}
