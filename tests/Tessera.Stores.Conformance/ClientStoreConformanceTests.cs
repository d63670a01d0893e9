using Tessera.OAuth;

namespace Tessera.Stores.Conformance;

/// <summary>
/// What every <see cref="IClientStore"/> must do, with the <see cref="IConsentStore"/> over the same
/// data (deleting a client deletes its consents); a backend's test project subclasses it.
/// </summary>
public abstract class ClientStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Created = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    private (IClientStore Clients, IConsentStore Consents)? _stores;

    protected IClientStore Store => _stores?.Clients ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected IConsentStore Consents => _stores?.Consents ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>A new, empty client store and the consent store over the same data.</summary>
    protected abstract ValueTask<(IClientStore Clients, IConsentStore Consents)> CreateStoresAsync();

    protected virtual ValueTask DisposeStoresAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync() => _stores = await CreateStoresAsync();

    public async Task DisposeAsync() => await DisposeStoresAsync();

    private static CancellationToken None => CancellationToken.None;

    /// <summary>A confidential client with a value in every field, none of them a default.</summary>
    private static OAuthClient Confidential(string clientId) => new()
    {
        ClientId = clientId,
        DisplayName = "Photo app « Ünïcode »",
        ClientType = ClientTypes.Confidential,
        TokenEndpointAuthMethod = ClientAuthMethods.PrivateKeyJwt,
        SecretHashes = [ClientSecrets.Generate().Hash, ClientSecrets.Generate().Hash],
        JwksJson = """{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRjm6Ys73i6fDCtA2hOsbqnkdvX4ehxGPCQOYXM"}]}""",
        RedirectUris = ["https://photos.example/callback", "https://photos.example/callback?tenant=a b&x=\"1\""],
        PostLogoutRedirectUris = ["https://photos.example/bye"],
        GrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken],
        Scopes = ["openid", "profile", "offline_access", "photos:read"],
        CorsOrigins = ["https://photos.example", "http://localhost:5173"],
        RequireConsent = false,
        IdTokenSignedResponseAlg = "ES256",
        RequireDpopBoundAccessTokens = true,
        CreatedAt = Created,
    };

    private static OAuthClient Public(string clientId) => new()
    {
        ClientId = clientId,
        DisplayName = "Single-page app",
        ClientType = ClientTypes.Public,
        TokenEndpointAuthMethod = ClientAuthMethods.None,
        CreatedAt = Created,
    };

    private static void AssertSame(OAuthClient expected, OAuthClient? found)
    {
        Assert.NotNull(found);
        Assert.Equal(expected.ClientId, found.ClientId);
        Assert.Equal(expected.DisplayName, found.DisplayName);
        Assert.Equal(expected.ClientType, found.ClientType);
        Assert.Equal(expected.TokenEndpointAuthMethod, found.TokenEndpointAuthMethod);
        Assert.Equal(expected.SecretHashes.Select(h => h.ToArray()), found.SecretHashes.Select(h => h.ToArray()));
        Assert.Equal(expected.JwksJson, found.JwksJson);
        Assert.Equal(expected.RedirectUris, found.RedirectUris);
        Assert.Equal(expected.PostLogoutRedirectUris, found.PostLogoutRedirectUris);
        Assert.Equal(expected.GrantTypes, found.GrantTypes);
        Assert.Equal(expected.Scopes, found.Scopes);
        Assert.Equal(expected.CorsOrigins, found.CorsOrigins);
        Assert.Equal(expected.RequireConsent, found.RequireConsent);
        Assert.Equal(expected.IdTokenSignedResponseAlg, found.IdTokenSignedResponseAlg);
        Assert.Equal(expected.CreatedAt, found.CreatedAt);
        Assert.Equal(expected.RequireDpopBoundAccessTokens, found.RequireDpopBoundAccessTokens);
        Assert.Equal(OAuthClient.CurrentFormatVersion, found.FormatVersion);
    }

    [Fact]
    public async Task ACreatedClientIsFoundWithEveryField()
    {
        OAuthClient client = Confidential("photo-app");

        Assert.True(await Store.TryCreateAsync(client, None));

        AssertSame(client, await Store.FindAsync("photo-app", None));
    }

    [Fact]
    public async Task APublicClientWithEmptyListsAndDefaultsRoundTrips()
    {
        OAuthClient client = Public("spa");

        Assert.True(await Store.TryCreateAsync(client, None));

        OAuthClient? found = await Store.FindAsync("spa", None);
        AssertSame(client, found);
        Assert.Empty(found!.SecretHashes);
        Assert.Null(found.JwksJson);
        Assert.True(found.RequireConsent);
        Assert.False(found.IsConfidential);
    }

    [Fact]
    public async Task AnUnknownClientIsNotFound()
    {
        await Store.TryCreateAsync(Public("spa"), None);

        Assert.Null(await Store.FindAsync("SPA", None));
        Assert.Null(await Store.FindAsync("no-such-client", None));
    }

    [Fact]
    public async Task ATakenIdIsRefusedAndTheFirstClientStays()
    {
        Assert.True(await Store.TryCreateAsync(Public("app"), None));

        Assert.False(await Store.TryCreateAsync(Confidential("app"), None));

        Assert.Equal(ClientTypes.Public, (await Store.FindAsync("app", None))!.ClientType);
    }

    [Fact]
    public async Task ConcurrentRegistrationsOfOneIdHaveOneWinner()
    {
        bool[] results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Task.Run(async () => await Store.TryCreateAsync(Public("app"), None))));

        Assert.Equal(1, results.Count(created => created));
    }

    [Fact]
    public async Task TheListHasEveryClientInByteOrderOfTheirIds()
    {
        foreach (string id in new[] { "b-app", "B-app", "a-app", "_tool" })
        {
            await Store.TryCreateAsync(Public(id), None);
        }

        IReadOnlyList<OAuthClient> listed = await Store.ListAsync(None);

        Assert.Equal(["B-app", "_tool", "a-app", "b-app"], listed.Select(c => c.ClientId));
    }

    [Fact]
    public async Task AnUpdateReplacesEveryField()
    {
        await Store.TryCreateAsync(Public("app"), None);
        OAuthClient replacement = Confidential("app");

        Assert.True(await Store.UpdateAsync(replacement, None));

        AssertSame(replacement, await Store.FindAsync("app", None));
    }

    [Fact]
    public async Task AnUpdateTurnsTheDpopRequirementOnAndOff()
    {
        OAuthClient client = Public("spa");
        await Store.TryCreateAsync(client, None);
        Assert.False((await Store.FindAsync("spa", None))!.RequireDpopBoundAccessTokens);

        Assert.True(await Store.UpdateAsync(client with { RequireDpopBoundAccessTokens = true }, None));
        Assert.True((await Store.FindAsync("spa", None))!.RequireDpopBoundAccessTokens);
        Assert.True(Assert.Single(await Store.ListAsync(None)).RequireDpopBoundAccessTokens);

        Assert.True(await Store.UpdateAsync(client with { RequireDpopBoundAccessTokens = false }, None));
        Assert.False((await Store.FindAsync("spa", None))!.RequireDpopBoundAccessTokens);
    }

    [Fact]
    public async Task UpdatingAnUnknownClientIsFalseAndCreatesNothing()
    {
        Assert.False(await Store.UpdateAsync(Public("ghost"), None));

        Assert.Null(await Store.FindAsync("ghost", None));
    }

    [Fact]
    public async Task DeletingAClientDeletesItsConsentsAndNoOthers()
    {
        await Store.TryCreateAsync(Public("app"), None);
        await Store.TryCreateAsync(Public("other"), None);
        await Consents.SaveAsync(new Consent { UserId = "alice", ClientId = "app", Scopes = ["openid"], GrantedAt = Created }, None);
        await Consents.SaveAsync(new Consent { UserId = "bob", ClientId = "app", Scopes = ["openid"], GrantedAt = Created }, None);
        await Consents.SaveAsync(new Consent { UserId = "alice", ClientId = "other", Scopes = ["profile"], GrantedAt = Created }, None);

        Assert.True(await Store.DeleteAsync("app", None));

        Assert.Null(await Store.FindAsync("app", None));
        Assert.Null(await Consents.FindAsync("alice", "app", None));
        Assert.Null(await Consents.FindAsync("bob", "app", None));
        Assert.Equal(["other"], (await Consents.ListAsync("alice", None)).Select(c => c.ClientId));
        Assert.NotNull(await Store.FindAsync("other", None));
    }

    [Fact]
    public async Task DeletingAnUnknownClientIsFalse()
    {
        await Store.TryCreateAsync(Public("app"), None);

        Assert.False(await Store.DeleteAsync("ghost", None));
        Assert.Single(await Store.ListAsync(None));
    }

    [Fact]
    public async Task CancelledCallsDoNotRun()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.TryCreateAsync(Public("app"), cancelled.Token));

        Assert.Null(await Store.FindAsync("app", None));
    }
}
