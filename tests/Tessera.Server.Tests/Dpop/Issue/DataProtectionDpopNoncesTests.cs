using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Dpop;
using Tessera.Dpop;

namespace Tessera.Server.Tests.Dpop.Issue;

/// <summary>Stateless server nonces (RFC 9449 §8) over Data Protection: shared by instances of one key ring, refused after their lifetime.</summary>
public sealed class DataProtectionDpopNoncesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TesseraDpopOptions _options = new() { NonceLifetime = TimeSpan.FromMinutes(4) };

    [Fact]
    public void ANonceIsValidWhereItWasIssuedAndAtAnotherInstanceSharingTheKeyRing()
    {
        var ring = new EphemeralDataProtectionProvider();
        var first = new DataProtectionDpopNonces(ring, _options, _time);
        var second = new DataProtectionDpopNonces(ring, _options, _time);

        string nonce = first.Current();

        Assert.True(first.IsValid(nonce));
        Assert.True(second.IsValid(nonce));
    }

    [Fact]
    public void ANonceOfAnotherKeyRingIsRefused()
    {
        string nonce = new DataProtectionDpopNonces(new EphemeralDataProtectionProvider(), _options, _time).Current();

        Assert.False(new DataProtectionDpopNonces(new EphemeralDataProtectionProvider(), _options, _time).IsValid(nonce));
    }

    [Fact]
    public void ANonceIsRefusedOnceItsLifetimeHasPassed()
    {
        var nonces = new DataProtectionDpopNonces(new EphemeralDataProtectionProvider(), _options, _time);
        string nonce = nonces.Current();

        _time.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        Assert.True(nonces.IsValid(nonce));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(nonces.IsValid(nonce));
    }

    [Fact]
    public void TheSameNonceIsHandedOutForAQuarterOfItsLifetimeThenAFreshOne()
    {
        var nonces = new DataProtectionDpopNonces(new EphemeralDataProtectionProvider(), _options, _time);
        string first = nonces.Current();

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(first, nonces.Current());

        _time.Advance(TimeSpan.FromSeconds(1));
        string second = nonces.Current();
        Assert.NotEqual(first, second);
        Assert.True(nonces.IsValid(first));
        Assert.True(nonces.IsValid(second));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    [InlineData("bm90LW91cnM")]
    public void GarbageIsNotANonce(string nonce)
    {
        Assert.False(new DataProtectionDpopNonces(new EphemeralDataProtectionProvider(), _options, _time).IsValid(nonce));
    }

    [Fact]
    public void ANonceTooLongIsRefusedUnread()
    {
        Assert.False(new DataProtectionDpopNonces(new EphemeralDataProtectionProvider(), _options, _time).IsValid(new string('A', 600)));
    }
}
