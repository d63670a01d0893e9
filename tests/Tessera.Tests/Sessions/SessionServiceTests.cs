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

    [Fact]
    public async Task OneSessionTooManyEndsTheUsersOldestSession()
    {
        SessionService service = Service(new TesseraSessionOptions { MaxSessionsPerUser = 3 });
        var created = new List<IssuedSession>();
        for (int i = 0; i < 3; i++)
        {
            created.Add(await service.CreateAsync("user-1", Home, CancellationToken.None));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        IssuedSession others = await service.CreateAsync("user-2", Home, CancellationToken.None);
        IssuedSession newest = await service.CreateAsync("user-1", Home, CancellationToken.None);

        IReadOnlyList<SessionRecord> live = await service.ListAsync("user-1", CancellationToken.None);
        Assert.Equal(3, live.Count);
        Assert.DoesNotContain(live, s => s.Handle == created[0].Session.Handle);
        Assert.Contains(live, s => s.Handle == newest.Session.Handle);
        SessionRecord oldest = (await _store.FindByHandleAsync(created[0].Session.Handle, CancellationToken.None))!;
        Assert.Equal(RevocationReasons.SessionLimit, oldest.RevocationReason);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await service.ValidateAsync(created[0].Secret, Home, CancellationToken.None)).Error?.Code);
        Assert.Single(await service.ListAsync("user-2", CancellationToken.None));
        Assert.True((await service.ValidateAsync(others.Secret, Home, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task EndedSessionsDoNotCountAgainstTheCap()
    {
        SessionService service = Service(new TesseraSessionOptions { MaxSessionsPerUser = 2 });
        IssuedSession first = await service.CreateAsync("user-1", Home, CancellationToken.None);
        IssuedSession second = await service.CreateAsync("user-1", Home, CancellationToken.None);
        await service.RevokeAsync(first.Session.Handle, RevocationReasons.SignedOut, CancellationToken.None);

        await service.CreateAsync("user-1", Home, CancellationToken.None);

        Assert.True((await service.ValidateAsync(second.Secret, Home, CancellationToken.None)).Succeeded);
        Assert.Equal(RevocationReasons.SignedOut, (await _store.FindByHandleAsync(first.Session.Handle, CancellationToken.None))!.RevocationReason);
    }
}
