using Tessera.Sessions;

namespace Tessera.Stores.Conformance;

/// <summary>
/// How the user signed in (RFC 8176 <c>amr</c>) and the DPoP key the tokens are bound to (RFC 9449
/// §6) are part of the session: written once at sign-in, read back by every lookup, and kept by
/// every refresh, since a bound session's next refresh must prove the same key.
/// </summary>
public abstract partial class SessionStoreConformanceTests
{
    // RFC 7638 §3.1's example thumbprint.
    private const string Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    private static readonly SessionStart PasskeyBound = new(AuthenticationMethodValues.Passkey(backupEligible: true), Thumbprint);

    [Fact]
    public async Task TheSignInMethodsAndTheDpopKeyAreFoundByEveryLookup()
    {
        IssuedSession issued = await NewBoundSessionAsync("user-1", PasskeyBound);

        SessionRecord? byHash = await Store.FindBySecretHashAsync(issued.Session.SecretHash, None);
        SessionRecord? byHandle = await Store.FindByHandleAsync(issued.Session.Handle, None);
        SessionRecord listed = Assert.Single(await ((ISessionListing)Store).ListActiveForUserAsync("user-1", Clock.Now(Time), None));

        foreach (SessionRecord? found in new[] { byHash, byHandle, listed })
        {
            Assert.NotNull(found);
            Assert.Equal("swk user mfa", found.AuthenticationMethods);
            Assert.Equal(Thumbprint, found.KeyThumbprint);
        }
    }

    [Fact]
    public async Task APasswordSignInWithoutAKeyReadsBackWithNeither()
    {
        IssuedSession plain = await Sessions.CreateAsync("user-1", Laptop, None);
        IssuedSession methodsOnly = await NewBoundSessionAsync("user-1", new SessionStart(AuthenticationMethodValues.Passkey(backupEligible: false)));
        IssuedSession keyOnly = await NewBoundSessionAsync("user-1", new SessionStart(KeyThumbprint: Thumbprint));

        SessionRecord first = (await Store.FindByHandleAsync(plain.Session.Handle, None))!;
        Assert.Null(first.AuthenticationMethods);
        Assert.Null(first.KeyThumbprint);
        Assert.Equal([AuthenticationMethodValues.Password], AuthenticationMethodValues.Split(first.AuthenticationMethods));
        SessionRecord second = (await Store.FindByHandleAsync(methodsOnly.Session.Handle, None))!;
        Assert.Equal("hwk user mfa", second.AuthenticationMethods);
        Assert.Null(second.KeyThumbprint);
        SessionRecord third = (await Store.FindByHandleAsync(keyOnly.Session.Handle, None))!;
        Assert.Null(third.AuthenticationMethods);
        Assert.Equal(Thumbprint, third.KeyThumbprint);
    }

    [Fact]
    public async Task RefreshesKeepTheSignInMethodsAndTheDpopKey()
    {
        IssuedSession issued = await NewBoundSessionAsync("user-1", PasskeyBound);
        var rotation = (ISessionSecretRotation)Store;
        byte[] current = issued.Session.SecretHash.ToArray();

        for (int i = 0; i < 3; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(5));
            DateTimeOffset at = Clock.Now(Time);
            byte[] next = SessionSecret.Generate().Hash;
            Assert.True(await rotation.TryRotateSecretAsync(issued.Session.Handle, current, next, at, at + RefreshIdle, None));
            current = next;
        }

        await Store.TouchAsync(issued.Session.Handle, Clock.Now(Time) + TimeSpan.FromMinutes(1), Clock.Now(Time) + RefreshIdle, None);
        SessionRecord stored = (await Store.FindBySecretHashAsync(current, None))!;
        Assert.Equal(3, stored.Generation);
        Assert.Equal("swk user mfa", stored.AuthenticationMethods);
        Assert.Equal(Thumbprint, stored.KeyThumbprint);
        SessionRecord byPrevious = (await rotation.FindByPreviousSecretHashAsync(stored.PreviousSecretHash!.Value, None))!;
        Assert.Equal(Thumbprint, byPrevious.KeyThumbprint);
    }

    [Fact]
    public async Task ARevokedBoundSessionStillTellsWhichKeyItWasBoundTo()
    {
        IssuedSession issued = await NewBoundSessionAsync("user-1", PasskeyBound);

        Assert.True(await Store.RevokeAsync(issued.Session.Handle, Clock.Now(Time), RevocationReasons.SignedOut, None));

        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.NotNull(stored.RevokedAt);
        Assert.Equal("swk user mfa", stored.AuthenticationMethods);
        Assert.Equal(Thumbprint, stored.KeyThumbprint);
    }

    private async Task<IssuedSession> NewBoundSessionAsync(string userId, SessionStart start) =>
        await Sessions.CreateAsync(userId, Laptop, SessionKinds.Token, new SessionLifetime(RefreshIdle, TimeSpan.FromDays(30)), grant: null, handle: null, start, None);
}
