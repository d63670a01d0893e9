using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Tessera.Replay;

namespace Tessera.AspNetCore.Passkeys;

/// <summary>
/// The ceremony state, without a server-side store until it comes back: a <see cref="PasskeyState"/>
/// encrypted and authenticated with Data Protection (any instance sharing the key ring opens it),
/// expiring <see cref="Lifetime"/> after issue on the <see cref="TimeProvider"/>. It is single use:
/// <see cref="TryConsumeAsync"/> takes a mark in the <see cref="IReplayStore"/> (PostgreSQL or Redis
/// in a cluster) under the SHA-256 of the challenge, so the same state presented twice, on any instance,
/// is refused the second time (WebAuthn §13.4.3: a challenge is used once).
/// </summary>
internal sealed class PasskeyStates(IDataProtectionProvider protection, IReplayStore replays, TimeProvider time)
{
    /// <summary>The registration ceremony (<c>navigator.credentials.create</c>).</summary>
    public const string Registration = "registration";

    /// <summary>The sign-in ceremony (<c>navigator.credentials.get</c>).</summary>
    public const string Assertion = "assertion";

    /// <summary>How long a state is accepted: the time a user takes at their authenticator.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private const string Purpose = "Tessera.Passkeys.State.v1";
    private const int MaximumLength = 4 * 1024;

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    /// <summary>A new state for <paramref name="ceremony"/> with <paramref name="challenge"/>.</summary>
    public string Protect(string ceremony, byte[] challenge, string? userId)
    {
        var state = new PasskeyState(ceremony, challenge, userId, Clock.Now(time) + Lifetime);
        return Base64Url.EncodeToString(_protector.Protect(JsonSerializer.SerializeToUtf8Bytes(state)));
    }

    /// <summary>The state of <paramref name="ceremony"/> in <paramref name="value"/>; null when changed, made elsewhere, of another ceremony or expired.</summary>
    public PasskeyState? Open(string? value, string ceremony)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaximumLength)
        {
            return null;
        }

        try
        {
            PasskeyState? state = JsonSerializer.Deserialize<PasskeyState>(_protector.Unprotect(Base64Url.DecodeFromChars(value)));
            return state is not null && string.Equals(state.Ceremony, ceremony, StringComparison.Ordinal) && state.Challenge is { Length: > 0 } && Clock.Now(time) < state.ExpiresAt
                ? state
                : null;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>
    /// Marks <paramref name="state"/> used; false when it was used before (a replay). The mark lives
    /// as long as the state could still be accepted, then goes by itself.
    /// </summary>
    public async ValueTask<bool> TryConsumeAsync(PasskeyState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        // The key names the challenge by its hash: no secret goes into the store (IReplayStore's rule).
        string key = "passkey-state:" + Base64Url.EncodeToString(SHA256.HashData(state.Challenge));
        TimeSpan window = state.ExpiresAt - Clock.Now(time) + TimeSpan.FromMinutes(1);
        return await replays.TryMarkAsync(key, window, cancellationToken).ConfigureAwait(false);
    }
}
