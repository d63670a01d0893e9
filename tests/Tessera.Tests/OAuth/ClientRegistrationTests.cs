using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.OAuth;
using Tessera.OAuth.Registration;

namespace Tessera.Tests.OAuth;

/// <summary>The registration service over a client store: secrets generated once and kept as hashes, updates, rotation, configuration upserts.</summary>
public sealed class ClientRegistrationTests
{
    private static readonly ClientRegistrationRequest Web = new()
    {
        ClientId = "web",
        ClientType = ClientTypes.Confidential,
        RedirectUris = ["https://web.example.org/signin-oidc"],
    };

    private readonly InMemoryClientStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));
    private readonly ClientRegistration _registration;

    public ClientRegistrationTests() => _registration = new ClientRegistration(_store, _time);

    [Fact]
    public async Task ASecretClientGetsASecretOnceAndOnlyItsHashIsStored()
    {
        RegisteredClient registered = (await _registration.CreateAsync(Web, default)).Value!;

        OAuthClient stored = (await _store.FindAsync("web", default))!;
        Assert.NotNull(registered.Secret);
        Assert.True(ClientSecrets.Matches(registered.Secret, stored.SecretHashes));
        Assert.Single(stored.SecretHashes);
        Assert.Equal(_time.GetUtcNow(), stored.CreatedAt);
        Assert.DoesNotContain(registered.Secret, registered.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APublicClientGetsNoSecret()
    {
        RegisteredClient registered = (await _registration.CreateAsync(Web with { ClientType = ClientTypes.Public }, default)).Value!;

        Assert.Null(registered.Secret);
        Assert.Empty(registered.Client.SecretHashes);
    }

    [Fact]
    public async Task ATakenIdIsRefused()
    {
        await _registration.CreateAsync(Web, default);

        Outcome<RegisteredClient> second = await _registration.CreateAsync(Web, default);

        Assert.Equal(TesseraErrorCodes.ClientIdTaken, second.Error!.Code);
    }

    [Fact]
    public async Task AnInvalidRequestFailsWithTheFirstFieldsCodeAndStoresNothing()
    {
        Outcome<RegisteredClient> outcome = await _registration.CreateAsync(Web with { RedirectUris = ["http://web.example.org/cb"] }, default);

        Assert.Equal(TesseraErrorCodes.ClientRedirectUriInvalid, outcome.Error!.Code);
        Assert.Empty(await _store.ListAsync(default));
    }

    [Fact]
    public async Task RotationReplacesTheSecret()
    {
        string first = (await _registration.CreateAsync(Web, default)).Value!.Secret!;

        string second = (await _registration.RotateSecretAsync("web", keepPrevious: false, default)).Value!.Secret!;

        OAuthClient stored = (await _store.FindAsync("web", default))!;
        Assert.True(ClientSecrets.Matches(second, stored.SecretHashes));
        Assert.False(ClientSecrets.Matches(first, stored.SecretHashes));
    }

    [Fact]
    public async Task RotationKeepingThePreviousKeepsExactlyTheNewestTwo()
    {
        string first = (await _registration.CreateAsync(Web, default)).Value!.Secret!;
        string second = (await _registration.RotateSecretAsync("web", keepPrevious: true, default)).Value!.Secret!;
        OAuthClient afterOne = (await _store.FindAsync("web", default))!;
        string third = (await _registration.RotateSecretAsync("web", keepPrevious: true, default)).Value!.Secret!;

        OAuthClient stored = (await _store.FindAsync("web", default))!;
        Assert.True(ClientSecrets.Matches(first, afterOne.SecretHashes) && ClientSecrets.Matches(second, afterOne.SecretHashes));
        Assert.Equal(2, stored.SecretHashes.Count);
        Assert.True(ClientSecrets.Matches(third, stored.SecretHashes) && ClientSecrets.Matches(second, stored.SecretHashes));
        Assert.False(ClientSecrets.Matches(first, stored.SecretHashes));
    }

    [Fact]
    public async Task RotatingAClientWithoutSecretOrUnknownFails()
    {
        await _registration.CreateAsync(Web with { ClientId = "spa", ClientType = ClientTypes.Public }, default);

        Assert.Equal(TesseraErrorCodes.ClientSecretNotUsed, (await _registration.RotateSecretAsync("spa", false, default)).Error!.Code);
        Assert.Equal(TesseraErrorCodes.ClientNotFound, (await _registration.RotateSecretAsync("nobody", false, default)).Error!.Code);
    }

    [Fact]
    public async Task AnUpdateKeepsTheSecretAndCreationTime()
    {
        RegisteredClient created = (await _registration.CreateAsync(Web, default)).Value!;
        _time.Advance(TimeSpan.FromHours(1));

        RegisteredClient updated = (await _registration.UpdateAsync(Web with { DisplayName = "The web app", TokenEndpointAuthMethod = ClientAuthMethods.ClientSecretPost }, default)).Value!;

        Assert.Null(updated.Secret);
        Assert.Equal("The web app", updated.Client.DisplayName);
        Assert.Equal(created.Client.CreatedAt, updated.Client.CreatedAt);
        Assert.True(ClientSecrets.Matches(created.Secret, (await _store.FindAsync("web", default))!.SecretHashes));
    }

    [Fact]
    public async Task AnUpdateToASecretMethodMakesASecretAndAwayFromItDropsThem()
    {
        await _registration.CreateAsync(Web with { ClientType = ClientTypes.Public }, default);

        RegisteredClient confidential = (await _registration.UpdateAsync(Web, default)).Value!;
        RegisteredClient backToPublic = (await _registration.UpdateAsync(Web with { ClientType = ClientTypes.Public }, default)).Value!;

        Assert.True(ClientSecrets.Matches(confidential.Secret, confidential.Client.SecretHashes));
        Assert.Empty(backToPublic.Client.SecretHashes);
        Assert.Equal(TesseraErrorCodes.ClientNotFound, (await _registration.UpdateAsync(Web with { ClientId = "other" }, default)).Error!.Code);
    }

    [Fact]
    public async Task AnUpsertWithASecretStoresItsHashAndReplacesSettingsOnTheNextStart()
    {
        string secret = ClientSecrets.Generate().Secret;

        RegisteredClient created = (await _registration.UpsertAsync(Web, secret, default)).Value!;
        _time.Advance(TimeSpan.FromDays(1));
        RegisteredClient updated = (await _registration.UpsertAsync(Web with { DisplayName = "Renamed" }, null, default)).Value!;

        Assert.Null(created.Secret);
        OAuthClient stored = (await _store.FindAsync("web", default))!;
        Assert.Equal("Renamed", stored.DisplayName);
        Assert.Equal(created.Client.CreatedAt, stored.CreatedAt);
        Assert.True(ClientSecrets.Matches(secret, stored.SecretHashes));
        Assert.Null(updated.Secret);
    }

    [Fact]
    public async Task AnUpsertOfANewSecretClientWithoutASecretOrWithABadOneFails()
    {
        Assert.Equal(TesseraErrorCodes.ClientSecretInvalid, (await _registration.UpsertAsync(Web, null, default)).Error!.Code);
        Assert.Equal(TesseraErrorCodes.ClientSecretInvalid, (await _registration.UpsertAsync(Web, "password123", default)).Error!.Code);
        Assert.Equal(TesseraErrorCodes.ClientSecretInvalid, (await _registration.UpsertAsync(Web with { ClientType = ClientTypes.Public }, ClientSecrets.Generate().Secret, default)).Error!.Code);
        Assert.Empty(await _store.ListAsync(default));
    }

    [Fact]
    public async Task RemoveForgetsTheClient()
    {
        await _registration.CreateAsync(Web, default);

        Assert.True(await _registration.RemoveAsync("web", default));
        Assert.False(await _registration.RemoveAsync("web", default));
        Assert.Null(await _registration.FindAsync("web", default));
    }
}
