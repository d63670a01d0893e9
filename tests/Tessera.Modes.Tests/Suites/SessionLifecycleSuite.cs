using System.Net;
using System.Text.Json;
using Tessera.Modes.Tests.Backends;
using Tessera.Modes.Tests.Hosting;
using Tessera.Modes.Tests.Modes;
using Tessera.Sessions;

namespace Tessera.Modes.Tests.Suites;

/// <summary>
/// Binding, expiry and revocation, the same in every mode: a session is the one record behind the
/// cookie, the tokens and the tokens in cookies. Each case runs for every mode and every
/// <c>BindTo</c> value; a subclass per store set runs them all on that backend.
/// </summary>
public abstract class SessionLifecycleSuite(HostPool hosts)
{
    private static readonly ClientIdentity Laptop = ClientIdentity.Laptop;

    [Theory]
    [MemberData(nameof(ModeMatrix.ModesAndBindings), MemberType = typeof(ModeMatrix))]
    public async Task ACredentialKeepsWorkingWhileUsedAndExpiresAfterTheIdleTimeout(ModeKind kind, SessionBinding bindTo)
    {
        (ModesHost host, CredentialMode mode, Account account) = await StartAsync(kind, new HostSettings(bindTo));
        Credential credential = await mode.SignInAsync(host, Laptop, account.Username);
        await mode.AssertWorksAsync(host, credential, Laptop, account.UserId);

        host.Time.Advance(HostSettings.IdleTimeout - TimeSpan.FromMinutes(10));
        await mode.AssertWorksAsync(host, credential, Laptop, account.UserId);
        Credential renewed = await mode.RefreshedAsync(host, credential, Laptop);
        await mode.AssertWorksAsync(host, renewed, Laptop, account.UserId);

        // The renewal slid the idle expiry to now + IdleTimeout; one minute past it the session has
        // expired, although the access token (two hours) has not.
        host.Time.Advance(HostSettings.IdleTimeout + TimeSpan.FromMinutes(1));

        await mode.AssertEndedAsync(host, renewed, Laptop, "session_expired");
    }

    [Theory]
    [MemberData(nameof(ModeMatrix.ModesAndBindings), MemberType = typeof(ModeMatrix))]
    public async Task SigningOutRefusesTheCredentialAtOnce(ModeKind kind, SessionBinding bindTo)
    {
        (ModesHost host, CredentialMode mode, Account account) = await StartAsync(kind, new HostSettings(bindTo));
        Credential credential = await mode.SignInAsync(host, Laptop, account.Username);

        await mode.AssertSignedOutAsync(await mode.SignOutAsync(host, credential, Laptop));

        await mode.AssertEndedAsync(host, credential, Laptop, "session_revoked");
    }

    [Theory]
    [MemberData(nameof(ModeMatrix.ModesAndBindings), MemberType = typeof(ModeMatrix))]
    public async Task LoggingOutThisDeviceFromAnotherRefusesItsCredentialAtOnce(ModeKind kind, SessionBinding bindTo)
    {
        (ModesHost host, CredentialMode mode, Account account) = await StartAsync(kind, new HostSettings(bindTo));
        Credential laptop = await mode.SignInAsync(host, Laptop, account.Username);
        Credential desktop = await mode.SignInAsync(host, ClientIdentity.Desktop, account.Username);

        HttpResponseMessage ended = await mode.SendAsync(host, desktop, ClientIdentity.Desktop, HttpMethod.Delete, $"/auth/sessions/{laptop.SessionId}");

        await ended.AssertStatusAsync(HttpStatusCode.NoContent);
        await mode.AssertEndedAsync(host, laptop, Laptop, "session_revoked");
        await mode.AssertWorksAsync(host, desktop, ClientIdentity.Desktop, account.UserId);
    }

    [Theory]
    [MemberData(nameof(ModeMatrix.ModesAndBindings), MemberType = typeof(ModeMatrix))]
    public async Task LoggingOutEverywhereRefusesEveryCredentialAtOnce(ModeKind kind, SessionBinding bindTo)
    {
        (ModesHost host, CredentialMode mode, Account account) = await StartAsync(kind, new HostSettings(bindTo));
        Credential laptop = await mode.SignInAsync(host, Laptop, account.Username);
        Credential desktop = await mode.SignInAsync(host, ClientIdentity.Desktop, account.Username);

        HttpResponseMessage ended = await mode.SendAsync(host, desktop, ClientIdentity.Desktop, HttpMethod.Delete, "/auth/sessions");

        Assert.Equal(2, (await ended.AssertJsonAsync()).GetProperty("revoked").GetInt32());
        await mode.AssertEndedAsync(host, laptop, Laptop, "session_revoked");
        await mode.AssertEndedAsync(host, desktop, ClientIdentity.Desktop, "session_revoked");
    }

    [Theory]
    [MemberData(nameof(ModeMatrix.ModesAndBindings), MemberType = typeof(ModeMatrix))]
    public Task UseFromAnotherAddressEndsTheSessionExactlyWhenItIsBoundToTheAddress(ModeKind kind, SessionBinding bindTo) =>
        UseFromElsewhereAsync(kind, bindTo, ClientIdentity.LaptopElsewhere, breaksBinding: bindTo is SessionBinding.Ip or SessionBinding.Both);

    [Theory]
    [MemberData(nameof(ModeMatrix.ModesAndBindings), MemberType = typeof(ModeMatrix))]
    public Task UseByAnotherAgentEndsTheSessionExactlyWhenItIsBoundToTheAgent(ModeKind kind, SessionBinding bindTo) =>
        UseFromElsewhereAsync(kind, bindTo, ClientIdentity.OtherAgentAtHome, breaksBinding: bindTo is SessionBinding.UserAgent or SessionBinding.Both);

    [Theory]
    [MemberData(nameof(ModeMatrix.Modes), MemberType = typeof(ModeMatrix))]
    public async Task AFlaggingBindingLetsUseFromElsewhereThroughAndFlagsTheSession(ModeKind kind)
    {
        (ModesHost host, CredentialMode mode, Account account) = await StartAsync(kind, HostSettings.FlagOnMismatch);
        Credential credential = await mode.SignInAsync(host, Laptop, account.Username);

        await mode.AssertWorksAsync(host, credential, ClientIdentity.Stranger, account.UserId);
        Credential renewed = await mode.RefreshedAsync(host, credential, ClientIdentity.Stranger);

        Assert.True(await IsFlaggedAsync(host, mode, renewed, renewed.SessionId));
        await mode.AssertWorksAsync(host, renewed, Laptop, account.UserId);
    }

    /// <summary>
    /// The credential presented from <paramref name="elsewhere"/> (one session), and the refresh
    /// token presented from there (another session: in token modes a thief may hold either). When
    /// that breaks the binding, the session ends and nothing of it works any more, from anywhere;
    /// otherwise a change of client is allowed and nothing is flagged.
    /// </summary>
    private async Task UseFromElsewhereAsync(ModeKind kind, SessionBinding bindTo, ClientIdentity elsewhere, bool breaksBinding)
    {
        (ModesHost host, CredentialMode mode, Account account) = await StartAsync(kind, new HostSettings(bindTo));
        Credential called = await mode.SignInAsync(host, Laptop, account.Username);
        Credential refreshed = await mode.SignInAsync(host, Laptop, account.Username);

        HttpResponseMessage call = await mode.CallProtectedAsync(host, called, elsewhere);
        HttpResponseMessage refresh = await mode.RefreshAsync(host, refreshed, elsewhere);

        if (breaksBinding)
        {
            await mode.AssertCallRefusedAsync(call, "session_revoked");
            await mode.AssertEndedAsync(host, called, Laptop, "session_revoked");
            await mode.AssertRefreshRefusedAsync(refresh, "session_revoked");
            await mode.AssertEndedAsync(host, refreshed, Laptop, "session_revoked");
        }
        else
        {
            Assert.Equal(account.UserId, (await call.AssertJsonAsync()).GetProperty("sub").GetString());
            Credential moved = await mode.ReadCredentialAsync(refresh, refreshed);
            await mode.AssertWorksAsync(host, moved, elsewhere, account.UserId);
            await mode.AssertWorksAsync(host, moved, Laptop, account.UserId);
            await mode.AssertWorksAsync(host, called, Laptop, account.UserId);
            Assert.False(await IsFlaggedAsync(host, mode, called, called.SessionId));
            Assert.False(await IsFlaggedAsync(host, mode, called, moved.SessionId));
        }
    }

    private async Task<(ModesHost Host, CredentialMode Mode, Account Account)> StartAsync(ModeKind kind, HostSettings settings)
    {
        ModesHost host = await hosts.HostAsync(settings);
        return (host, CredentialMode.For(kind), await host.RegisterAsync());
    }

    /// <summary>Whether the session list (seen from the laptop with <paramref name="credential"/>) shows <paramref name="sessionId"/> flagged.</summary>
    private static async Task<bool> IsFlaggedAsync(ModesHost host, CredentialMode mode, Credential credential, string sessionId)
    {
        JsonElement list = await (await mode.SendAsync(host, credential, Laptop, HttpMethod.Get, "/auth/sessions")).AssertJsonAsync();
        return list.GetProperty("sessions").EnumerateArray()
            .Single(session => session.GetProperty("id").GetString() == sessionId)
            .GetProperty("flagged").GetBoolean();
    }
}
