using System.Text.Json;
using Microsoft.Playwright;

namespace Tessera.Console.Tests.Passkeys;

/// <summary>
/// A platform authenticator for one page, made by Chromium itself through the Chrome DevTools
/// Protocol's WebAuthn domain: it holds discoverable credentials, verifies the user (as a
/// fingerprint or PIN would) and answers every create() and get() of the page, real CBOR and real
/// signatures, without a dialog. Credentials can be taken out and put back, as a passkey that is
/// on the device or not.
/// </summary>
internal sealed class VirtualAuthenticator
{
    private readonly ICDPSession _session;
    private readonly string _id;

    private VirtualAuthenticator(ICDPSession session, string id)
    {
        _session = session;
        _id = id;
    }

    /// <summary>CTAP2, built in ("internal"), resident keys, user verification that succeeds.</summary>
    public static async Task<VirtualAuthenticator> AttachAsync(IPage page)
    {
        ICDPSession session = await page.Context.NewCDPSessionAsync(page);
        await session.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        JsonElement? added = await session.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return new VirtualAuthenticator(session, added!.Value.GetProperty("authenticatorId").GetString()!);
    }

    /// <summary>The credentials it holds (with their private keys: the protocol hands them out).</summary>
    public async Task<IReadOnlyList<JsonElement>> CredentialsAsync()
    {
        JsonElement? result = await _session.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = _id });
        return [.. result!.Value.GetProperty("credentials").EnumerateArray().Select(c => c.Clone())];
    }

    /// <summary>Takes every credential out (kept by the caller to put back): the device has no passkey for now.</summary>
    public async Task<IReadOnlyList<JsonElement>> TakeOutAsync()
    {
        IReadOnlyList<JsonElement> credentials = await CredentialsAsync();
        await _session.SendAsync("WebAuthn.clearCredentials", new Dictionary<string, object> { ["authenticatorId"] = _id });
        return credentials;
    }

    /// <summary>Puts credentials taken out before back in.</summary>
    public async Task PutBackAsync(IEnumerable<JsonElement> credentials)
    {
        foreach (JsonElement credential in credentials)
        {
            await _session.SendAsync("WebAuthn.addCredential", new Dictionary<string, object> { ["authenticatorId"] = _id, ["credential"] = credential });
        }
    }

    /// <summary>Whether the authenticator answers by itself, as a person touching it would; off, a request waits.</summary>
    public async Task SetUserPresenceAsync(bool automatic) =>
        await _session.SendAsync("WebAuthn.setAutomaticPresenceSimulation", new Dictionary<string, object> { ["authenticatorId"] = _id, ["enabled"] = automatic });
}
