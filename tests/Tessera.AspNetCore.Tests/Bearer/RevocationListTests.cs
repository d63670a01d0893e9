using System.Collections.Concurrent;
using System.Net;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.Jose;
using Tessera.Sessions;
using Tessera.Stores;

namespace Tessera.AspNetCore.Tests.Bearer;

/// <summary>
/// The optional <c>sid</c> check against a revocation list shared with the issuer. The list here
/// is an in-process one (the handler's logic is under test); Tessera.Redis.Tests runs the same
/// check against a real Redis.
/// </summary>
public class RevocationListTests : BearerTestBase
{
    private readonly SharedList _list = new();

    private Task<ResourceServer> StartCheckingApiAsync() => StartApiAsync(o =>
    {
        o.BackchannelTimeout = TimeSpan.FromSeconds(2);
        o.RevocationList = _list;
    });

    [Fact]
    public async Task ATokenWhoseSessionIsOnTheListIsRefusedFromTheNextRequestOn()
    {
        ResourceServer api = await StartCheckingApiAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);

        _list.Revoked["s-1"] = true;

        await AssertRefusedAsync(await api.GetAsync("/me", Issuer.Token()), TesseraBearerErrorCodes.SessionRevoked);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token(d => d.AdditionalClaims!["sid"] = "s-2"))).StatusCode);
        Assert.Equal(0, Issuer.IntrospectionRequests);
    }

    [Fact]
    public async Task ATokenWithoutASessionIdIsRefusedWhenTheListIsOn()
    {
        ResourceServer api = await StartCheckingApiAsync();

        await AssertRefusedAsync(await api.GetAsync("/me", Issuer.Token(d => d.AdditionalClaims!.Remove("sid"))), JoseErrorCodes.ClaimMissing);
    }

    [Fact]
    public async Task AnInvalidTokenIsRefusedWithoutAskingTheList()
    {
        ResourceServer api = await StartCheckingApiAsync();

        await AssertRefusedAsync(await api.GetAsync("/me", TokenCases.Tamper(Issuer.Token())), JoseErrorCodes.SignatureInvalid);

        Assert.Equal(0, _list.Calls);
    }

    [Fact]
    public async Task AListThatCannotBeReadGives503NotAcceptanceOr401()
    {
        ResourceServer api = await StartCheckingApiAsync();
        _list.Down = true;

        HttpResponseMessage response = await api.GetAsync("/me", Issuer.Token());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal(TesseraBearerErrorCodes.RevocationListUnavailable, await ErrorCodeOf(response));
        _list.Down = false;
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/me", Issuer.Token())).StatusCode);
    }

    [Fact]
    public async Task AHangingListTimesOutWith503()
    {
        ResourceServer api = await StartCheckingApiAsync();
        _list.Hang = true;

        HttpResponseMessage response = await api.GetAsync("/me", Issuer.Token()).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TesseraBearerErrorCodes.RevocationListUnavailable, await ErrorCodeOf(response));
    }

    private sealed class SharedList : ISessionRevocationList
    {
        private int _calls;

        public ConcurrentDictionary<string, bool> Revoked { get; } = new(StringComparer.Ordinal);

        public bool Down { get; set; }

        public bool Hang { get; set; }

        public int Calls => _calls;

        public async ValueTask<bool> IsRevokedAsync(string sessionId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return Down ? throw new StoreUnavailableException() : Revoked.ContainsKey(sessionId);
        }
    }
}

/// <summary>The same tests behind <c>UseTesseraAuthentication()</c> (no handler per request): the revocation list answers as behind <c>UseAuthentication()</c>.</summary>
public sealed class RevocationListTestsFastPath : RevocationListTests
{
    protected override bool TesseraAuthentication => true;
}
