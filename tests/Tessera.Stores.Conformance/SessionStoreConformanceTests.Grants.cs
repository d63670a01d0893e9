using Tessera.Sessions;

namespace Tessera.Stores.Conformance;

/// <summary>
/// A session an OAuth grant created keeps its client, scope and authentication time through every
/// read and write: the access tokens of its refreshes carry them (RFC 6749 §6: a refresh keeps the
/// client and never widens the scope).
/// </summary>
public abstract partial class SessionStoreConformanceTests
{
    private static readonly SessionLifetime GrantLifetime = new(TimeSpan.FromDays(14), TimeSpan.FromDays(30));

    [Fact]
    public async Task ASessionFromAGrantKeepsItsClientScopeAndAuthenticationTimeUnderTheHandleItWasGiven()
    {
        DateTimeOffset authenticatedAt = Clock.Now(Time) - TimeSpan.FromMinutes(7);
        string handle = RandomIds.New128();
        var grant = new SessionGrant("photo-app", "openid profile photos:read", authenticatedAt);

        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, GrantLifetime, grant, handle, None);

        Assert.Equal(handle, issued.Session.Handle);
        foreach (SessionRecord? found in new[] { await Store.FindByHandleAsync(handle, None), await Store.FindBySecretHashAsync(issued.Session.SecretHash, None) })
        {
            Assert.NotNull(found);
            Assert.Equal(handle, found.Handle);
            Assert.Equal(SessionKinds.Token, found.Kind);
            Assert.Equal("photo-app", found.ClientId);
            Assert.Equal("openid profile photos:read", found.Scope);
            Assert.Equal(authenticatedAt, found.AuthenticatedAt);
        }
    }

    [Fact]
    public async Task AFirstPartySessionHasNoGrant()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, GrantLifetime, None);

        SessionRecord found = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;

        Assert.Null(found.ClientId);
        Assert.Null(found.Scope);
        Assert.Null(found.AuthenticatedAt);
    }

    [Fact]
    public async Task TheGrantSurvivesRotationTouchFlagAndRevocationAndIsListed()
    {
        DateTimeOffset authenticatedAt = Clock.Now(Time);
        var grant = new SessionGrant("photo-app", "openid offline_access", authenticatedAt);
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, GrantLifetime, grant, handle: null, None);
        string handle = issued.Session.Handle;

        Time.Advance(TimeSpan.FromMinutes(5));
        DateTimeOffset at = Clock.Now(Time);
        if (Store is ISessionSecretRotation rotation)
        {
            Assert.True(await rotation.TryRotateSecretAsync(handle, issued.Session.SecretHash, SessionSecret.Generate().Hash, at, at + TimeSpan.FromDays(14), None));
        }

        await Store.TouchAsync(handle, at + TimeSpan.FromMinutes(1), at + TimeSpan.FromDays(14), None);
        if (Store is ISessionListing listing)
        {
            SessionRecord listed = Assert.Single(await listing.ListActiveForUserAsync("user-1", Clock.Now(Time), None));
            AssertGrant(listed);
        }

        await Store.FlagAsync(handle, at, "binding", None);
        Assert.True(await Store.RevokeAsync(handle, at, RevocationReasons.SignedOut, None));
        AssertGrant((await Store.FindByHandleAsync(handle, None))!);

        void AssertGrant(SessionRecord stored)
        {
            Assert.Equal("photo-app", stored.ClientId);
            Assert.Equal("openid offline_access", stored.Scope);
            Assert.Equal(authenticatedAt, stored.AuthenticatedAt);
        }
    }
}
