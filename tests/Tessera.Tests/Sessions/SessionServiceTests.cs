using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.Sessions;

namespace Tessera.Tests.Sessions;

public class SessionServiceTests
{
    private static readonly SessionClient Home = new("198.51.100.1", "Browser/1");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemorySessionStore _store = new();

    private SessionService Service(TesseraSessionOptions? options = null) => new(_store, options ?? new TesseraSessionOptions(), _time);

    [Fact]
    public async Task EverySessionGetsAFreshHandleAndSecret()
    {
        SessionService service = Service();

        IssuedSession first = await service.CreateAsync("user-1", Home, CancellationToken.None);
        IssuedSession second = await service.CreateAsync("user-1", Home, CancellationToken.None);

        Assert.NotEqual(first.Session.Handle, second.Session.Handle);
        Assert.NotEqual(first.Secret, second.Secret);
        Assert.DoesNotContain(first.Secret, first.Session.Handle, StringComparison.Ordinal);
        Assert.DoesNotContain(first.Secret, first.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SessionBinding.Ip, "203.0.113.9", "Browser/1")]
    [InlineData(SessionBinding.UserAgent, "198.51.100.1", "Other/2")]
    [InlineData(SessionBinding.Both, "203.0.113.9", "Browser/1")]
    [InlineData(SessionBinding.Both, "198.51.100.1", "Other/2")]
    public async Task RequestFromElsewhereEndsABoundSession(SessionBinding binding, string ip, string agent)
    {
        SessionService service = Service(new TesseraSessionOptions { BindTo = binding });
        IssuedSession issued = await service.CreateAsync("user-1", Home, CancellationToken.None);

        SessionValidation validation = await service.ValidateAsync(issued.Secret, new SessionClient(ip, agent), CancellationToken.None);

        Assert.Equal(TesseraErrorCodes.SessionRevoked, validation.Error?.Code);
        Assert.Equal(RevocationReasons.BindingMismatch, (await _store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None))!.RevocationReason);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await service.ValidateAsync(issued.Secret, Home, CancellationToken.None)).Error?.Code);
    }

    [Theory]
    [InlineData(SessionBinding.None, "203.0.113.9", "Other/2")]
    [InlineData(SessionBinding.Ip, "198.51.100.1", "Other/2")]
    [InlineData(SessionBinding.UserAgent, "203.0.113.9", "Browser/1")]
    public async Task ChangesOutsideTheBindingAreAccepted(SessionBinding binding, string ip, string agent)
    {
        SessionService service = Service(new TesseraSessionOptions { BindTo = binding });
        IssuedSession issued = await service.CreateAsync("user-1", Home, CancellationToken.None);

        SessionValidation validation = await service.ValidateAsync(issued.Secret, new SessionClient(ip, agent), CancellationToken.None);

        Assert.True(validation.Succeeded);
        Assert.False(validation.BindingMismatch);
    }

    [Fact]
    public async Task FlaggingPolicyLetsTheRequestThroughAndMarksTheSession()
    {
        SessionService service = Service(new TesseraSessionOptions { BindTo = SessionBinding.Ip, OnBindingMismatch = SessionBindingAction.Flag });
        IssuedSession issued = await service.CreateAsync("user-1", Home, CancellationToken.None);

        SessionValidation validation = await service.ValidateAsync(issued.Secret, new SessionClient("203.0.113.9", "Browser/1"), CancellationToken.None);

        Assert.True(validation.Succeeded);
        Assert.True(validation.BindingMismatch);
        Assert.Equal(_time.GetUtcNow(), (await _store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None))!.FlaggedAt);
    }

    [Fact]
    public async Task IdleExpiryIsCappedByTheAbsoluteExpiry()
    {
        SessionService service = Service(new TesseraSessionOptions { IdleTimeout = TimeSpan.FromMinutes(30), AbsoluteTimeout = TimeSpan.FromMinutes(45) });
        IssuedSession issued = await service.CreateAsync("user-1", Home, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(25));

        SessionValidation validation = await service.ValidateAsync(issued.Secret, Home, CancellationToken.None);

        Assert.Equal(issued.Session.AbsoluteExpiresAt, validation.Session!.IdleExpiresAt);
    }

    [Fact]
    public async Task SomeoneElsesSessionCannotBeEndedByHandle()
    {
        SessionService service = Service();
        IssuedSession bobs = await service.CreateAsync("bob", Home, CancellationToken.None);

        Assert.False(await service.RevokeOwnAsync("alice", bobs.Session.Handle, RevocationReasons.EndedByUser, CancellationToken.None));
        Assert.True((await service.ValidateAsync(bobs.Secret, Home, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public void InconsistentOptionsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Service(new TesseraSessionOptions { IdleTimeout = TimeSpan.FromHours(2), AbsoluteTimeout = TimeSpan.FromHours(1) }));
        Assert.Throws<ArgumentException>(() => Service(new TesseraSessionOptions { TouchInterval = TimeSpan.FromHours(1) }));
        Assert.Throws<ArgumentException>(() => Service(new TesseraSessionOptions { BindTo = (SessionBinding)42 }));
    }
}
