using System.Net;
using Tessera.Modes.Tests.Backends;
using Tessera.Modes.Tests.Hosting;
using Tessera.Modes.Tests.Modes;

namespace Tessera.Modes.Tests.Suites;

/// <summary>
/// Sign-in, refresh and sign-out, written once and run for the three modes (and, through a
/// subclass per store set, on every backend).
/// </summary>
public abstract class SignInSuite(HostPool hosts)
{
    private static readonly ClientIdentity Laptop = ClientIdentity.Laptop;

    [Theory]
    [MemberData(nameof(ModeMatrix.Modes), MemberType = typeof(ModeMatrix))]
    public async Task SigningInPutsTheCredentialInTheModesOwnChannelOnly(ModeKind kind)
    {
        (ModesHost host, CredentialMode mode, Account account) = await StartAsync(kind);

        HttpResponseMessage response = await mode.SignInResponseAsync(host, Laptop, account.Username, ModesHost.Password);

        await mode.AssertSignInShapeAsync(response);
        await mode.AssertWorksAsync(host, await mode.ReadCredentialAsync(response, null), Laptop, account.UserId);
    }

    [Theory]
    [MemberData(nameof(ModeMatrix.Modes), MemberType = typeof(ModeMatrix))]
    public async Task AWrongPasswordIsRefusedWithInvalidCredentialsAndGivesNoCredential(ModeKind kind)
    {
        (ModesHost host, CredentialMode mode, Account account) = await StartAsync(kind);

        HttpResponseMessage response = await mode.SignInResponseAsync(host, Laptop, account.Username, "not the password at all");

        string body = (await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials")).GetRawText();
        Assert.Empty(response.SetCookies());
        Assert.DoesNotContain("_token", body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ModeMatrix.Modes), MemberType = typeof(ModeMatrix))]
    public async Task AnUnknownUserIsRefusedExactlyLikeAWrongPassword(ModeKind kind)
    {
        (ModesHost host, CredentialMode mode, _) = await StartAsync(kind);

        HttpResponseMessage response = await mode.SignInResponseAsync(host, Laptop, "nobody-by-that-name", ModesHost.Password);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Empty(response.SetCookies());
    }

    [Theory]
    [MemberData(nameof(ModeMatrix.Modes), MemberType = typeof(ModeMatrix))]
    public async Task AMadeUpCredentialIsRefusedWithTheModesCode(ModeKind kind)
    {
        (ModesHost host, CredentialMode mode, _) = await StartAsync(kind);

        HttpResponseMessage response = await mode.CallProtectedAsync(host, mode.MadeUp, Laptop);

        await mode.AssertCallRefusedAsync(response, mode.UnknownCredentialCode);
    }

    [Theory]
    [MemberData(nameof(ModeMatrix.Modes), MemberType = typeof(ModeMatrix))]
    public async Task RefreshingGivesAWorkingCredentialForTheSameSession(ModeKind kind)
    {
        (ModesHost host, CredentialMode mode, Account account) = await StartAsync(kind);
        Credential credential = await mode.SignInAsync(host, Laptop, account.Username);

        Credential renewed = await mode.RefreshedAsync(host, credential, Laptop);

        Assert.Equal(credential.SessionId, renewed.SessionId);
        await mode.AssertWorksAsync(host, renewed, Laptop, account.UserId);
        if (mode.RotatesOnRefresh)
        {
            Assert.NotEqual(credential.RefreshToken, renewed.RefreshToken);
            Assert.NotEqual(credential.Presented, renewed.Presented);
        }
        else
        {
            Assert.Equal(credential, renewed);
        }
    }

    [Theory]
    [MemberData(nameof(ModeMatrix.RotatingModes), MemberType = typeof(ModeMatrix))]
    public async Task ReplayingARefreshTokenThatWasRotatedAwayRevokesTheSession(ModeKind kind)
    {
        (ModesHost host, CredentialMode mode, Account account) = await StartAsync(kind);
        Credential credential = await mode.SignInAsync(host, Laptop, account.Username);
        Credential renewed = await mode.RefreshedAsync(host, credential, Laptop);
        host.Time.Advance(HostSettings.PastReuseGraceWindow);

        HttpResponseMessage replayed = await mode.RefreshAsync(host, credential, Laptop);

        await mode.AssertRefreshRefusedAsync(replayed, "refresh_token_reused");
        await mode.AssertEndedAsync(host, renewed, Laptop, "session_revoked");
    }

    [Theory]
    [MemberData(nameof(ModeMatrix.Modes), MemberType = typeof(ModeMatrix))]
    public async Task SigningOutEndsTheSessionAndTellsTheClientToForgetTheCredential(ModeKind kind)
    {
        (ModesHost host, CredentialMode mode, Account account) = await StartAsync(kind);
        Credential credential = await mode.SignInAsync(host, Laptop, account.Username);

        HttpResponseMessage response = await mode.SignOutAsync(host, credential, Laptop);

        await mode.AssertSignedOutAsync(response);
        await mode.AssertEndedAsync(host, credential, Laptop, "session_revoked");
    }

    private async Task<(ModesHost Host, CredentialMode Mode, Account Account)> StartAsync(ModeKind kind)
    {
        ModesHost host = await hosts.HostAsync(HostSettings.Unbound);
        return (host, CredentialMode.For(kind), await host.RegisterAsync());
    }
}
