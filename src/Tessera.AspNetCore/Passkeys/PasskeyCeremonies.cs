using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.Passkeys;
using Tessera.Telemetry;
using Tessera.Users;

namespace Tessera.AspNetCore.Passkeys;

/// <summary>
/// The two WebAuthn ceremonies (W3C WebAuthn Level 3 §7.1 registration, §7.2 authentication) on
/// <c>Fido2NetLib</c>: options out, responses in. The library verifies challenge, origin, RP id hash,
/// the UP and UV flags, the algorithm and the signature; here come the state (single use, see
/// <see cref="PasskeyStates"/>), the store, the sign counter and the account's standing. Every
/// refusal is a value with a stable code; nothing a client sends can make this throw.
/// </summary>
internal sealed class PasskeyCeremonies(
    PasskeyRelyingParty relyingParty,
    PasskeyStates states,
    IPasskeyStore store,
    IUserStore users,
    TimeProvider time,
    SecurityEvents events,
    ILogger<PasskeyCeremonies> logger)
{
    /// <summary>ES256, EdDSA, RS256 (COSE -7, -8, -257), in the order of preference the options send.</summary>
    private static readonly PubKeyCredParam[] Algorithms =
    [
        new(COSE.Algorithm.ES256, PublicKeyCredentialType.PublicKey),
        new(COSE.Algorithm.EdDSA, PublicKeyCredentialType.PublicKey),
        new(COSE.Algorithm.RS256, PublicKeyCredentialType.PublicKey),
    ];

    // WebAuthn §5.4.4 / §5.4.6: a discoverable credential (a passkey), verified by PIN or biometric.
    private static AuthenticatorSelection Selection() => new()
    {
        // requireResidentKey follows (true) for Level 1 clients: the library derives it from ResidentKey.
        ResidentKey = ResidentKeyRequirement.Required,
        UserVerification = UserVerificationRequirement.Required,
    };

    /// <summary>
    /// The user handle (WebAuthn §5.4.3 <c>user.id</c>) of an account: the UTF-8 bytes of its id,
    /// 128 random bits as text, so no personal data (§14.6.1) and never changing.
    /// </summary>
    public static byte[] UserHandle(string userId) => Encoding.UTF8.GetBytes(userId);

    /// <summary>The options of a registration for <paramref name="user"/>, who may not register an authenticator twice (<c>excludeCredentials</c>).</summary>
    public async ValueTask<PasskeyOptionsResponse> RegistrationOptionsAsync(HttpRequest request, UserRecord user, CancellationToken cancellationToken)
    {
        IReadOnlyList<PasskeyCredential> existing = await store.ListAsync(user.Id, cancellationToken).ConfigureAwait(false);
        Fido2 fido = PasskeyRelyingParty.Verifier(relyingParty.ConfigurationFor(request));
        CredentialCreateOptions options = fido.RequestNewCredential(new RequestNewCredentialParams
        {
            User = Fido2User(user),
            ExcludeCredentials = [.. existing.Select(Descriptor)],
            AuthenticatorSelection = Selection(),
            AttestationPreference = AttestationConveyancePreference.None,
            PubKeyCredParams = Algorithms,
        });
        string state = states.Protect(PasskeyStates.Registration, options.Challenge, user.Id);
        return new PasskeyOptionsResponse(JsonDocument.Parse(options.ToJson()).RootElement.Clone(), state);
    }

    /// <summary>Verifies a registration response for <paramref name="user"/> and stores the passkey as <paramref name="name"/>.</summary>
    public async ValueTask<Outcome<PasskeyCredential>> RegisterAsync(HttpRequest request, UserRecord user, string? stateValue, JsonElement credential, string name, CancellationToken cancellationToken)
    {
        PasskeyState? state = states.Open(stateValue, PasskeyStates.Registration);
        if (state is null || !string.Equals(state.UserId, user.Id, StringComparison.Ordinal))
        {
            return RegistrationFailed("The registration state is not valid or has expired; ask for new options.");
        }

        if (!await states.TryConsumeAsync(state, cancellationToken).ConfigureAwait(false))
        {
            PasskeyLog.StateReplayed(logger, PasskeyStates.Registration);
            return RegistrationFailed("This registration state was used already; ask for new options.");
        }

        Fido2Configuration configuration = relyingParty.ConfigurationFor(request);
        RegisteredPublicKeyCredential registered;
        try
        {
            AuthenticatorAttestationRawResponse? raw = credential.Deserialize<AuthenticatorAttestationRawResponse>();
            if (raw?.RawId is not { Length: > 0 } || raw.Response?.AttestationObject is null || raw.Response.ClientDataJson is null)
            {
                throw new Fido2VerificationException(Fido2ErrorCode.InvalidAttestationResponse, "Not a registration response.");
            }

            // The options as sent, rebuilt from the state: the challenge and the user are the state's.
            CredentialCreateOptions options = CredentialCreateOptions.Create(configuration, state.Challenge, Fido2User(user), Selection(), AttestationConveyancePreference.None, [], null, Algorithms);
            registered = await PasskeyRelyingParty.Verifier(configuration).MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = raw,
                OriginalOptions = options,
                // WebAuthn §7.1 step 26: an id registered to anyone already is refused (the store checks again on add).
                IsCredentialIdUniqueToUserCallback = async (candidate, ct) => await store.FindAsync(Base64Url.EncodeToString(candidate.CredentialId), ct).ConfigureAwait(false) is null,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Fido2VerificationException ex) when (ex.Code == Fido2ErrorCode.NonUniqueCredentialId)
        {
            return AlreadyRegistered();
        }
        catch (Exception ex) when (IsRefusal(ex))
        {
            string reason = Reason(ex);
            PasskeyLog.RegistrationRefused(logger, user.Id, reason);

            return RegistrationFailed("The authenticator's response could not be verified.");
        }

        DateTimeOffset now = Clock.Now(time);
        var passkey = new PasskeyCredential
        {
            CredentialId = Base64Url.EncodeToString(registered.Id),
            UserId = user.Id,
            PublicKey = registered.PublicKey,
            SignCount = registered.SignCount,
            Transports = [.. (registered.Transports ?? []).Select(TransportName).OfType<string>().Distinct(StringComparer.Ordinal)],
            BackupEligible = registered.IsBackupEligible,
            BackedUp = registered.IsBackedUp,
            Aaguid = registered.AaGuid,
            AttestationFormat = registered.AttestationFormat ?? "none",
            Name = name,
            CreatedAt = now,
        };
        if (!await store.AddAsync(passkey, cancellationToken).ConfigureAwait(false))
        {
            return AlreadyRegistered();
        }

        PasskeyLog.Registered(logger, user.Id, passkey.CredentialId);
        await events.PasskeyEventAsync(PasskeyAuditEventTypes.Registered, user.Id, user.Id, passkey.CredentialId).ConfigureAwait(false);
        return Outcome.Success(passkey);
    }

    /// <summary>The options of a sign-in with a discoverable credential: no <c>allowCredentials</c>, user verification required.</summary>
    public PasskeyOptionsResponse AssertionOptions(HttpRequest request)
    {
        Fido2 fido = PasskeyRelyingParty.Verifier(relyingParty.ConfigurationFor(request));
        AssertionOptions options = fido.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = [],
            UserVerification = UserVerificationRequirement.Required,
        });
        string state = states.Protect(PasskeyStates.Assertion, options.Challenge, userId: null);
        return new PasskeyOptionsResponse(JsonDocument.Parse(options.ToJson()).RootElement.Clone(), state);
    }

    /// <summary>
    /// Verifies a sign-in response: the account and passkey it proves, or why not
    /// (<see cref="TesseraErrorCodes.PasskeyInvalid"/>; <c>account_disabled</c> or <c>account_locked</c>
    /// after a valid proof, as a password sign-in). Audited either way.
    /// </summary>
    public async ValueTask<PasskeySignInResult> SignInAsync(HttpRequest request, string? stateValue, JsonElement credential, CancellationToken cancellationToken)
    {
        PasskeySignInResult result = await VerifyAssertionAsync(request, stateValue, credential, cancellationToken).ConfigureAwait(false);
        if (result.User is { } user)
        {
            PasskeyLog.SignedIn(logger, user.Id, result.Passkey!.CredentialId);
            await events.PasskeySignInSucceededAsync(user.Id, result.Passkey.CredentialId).ConfigureAwait(false);
        }
        else
        {
            await events.PasskeySignInFailedAsync(result.Error!.Code, result.RefusedUserId).ConfigureAwait(false);
        }

        return result;
    }

    private async ValueTask<PasskeySignInResult> VerifyAssertionAsync(HttpRequest request, string? stateValue, JsonElement credential, CancellationToken cancellationToken)
    {
        PasskeyState? state = states.Open(stateValue, PasskeyStates.Assertion);
        if (state is null)
        {
            return Invalid("expired_state", "The sign-in state is not valid or has expired; ask for new options.");
        }

        AuthenticatorAssertionRawResponse? raw;
        try
        {
            raw = credential.Deserialize<AuthenticatorAssertionRawResponse>();
        }
        catch (Exception ex) when (IsRefusal(ex))
        {
            raw = null;
        }

        if (raw?.RawId is not { Length: > 0 } || raw.Response?.AuthenticatorData is null || raw.Response.ClientDataJson is null || raw.Response.Signature is null)
        {
            return Invalid("malformed", "The credential is not an authentication response.");
        }

        // Used once, here, before anything else is learnt from it: a replay fails whatever comes after.
        if (!await states.TryConsumeAsync(state, cancellationToken).ConfigureAwait(false))
        {
            PasskeyLog.StateReplayed(logger, PasskeyStates.Assertion);
            return Invalid("state_replayed", "This sign-in state was used already; ask for new options.");
        }

        string credentialId = Base64Url.EncodeToString(raw.RawId);
        PasskeyCredential? passkey = await store.FindAsync(credentialId, cancellationToken).ConfigureAwait(false);
        if (passkey is null)
        {
            return Invalid("unknown_credential", "This passkey is not registered here.");
        }

        Fido2Configuration configuration = relyingParty.ConfigurationFor(request);
        AssertionOptions options = Fido2NetLib.AssertionOptions.Create(configuration, state.Challenge, [], UserVerificationRequirement.Required, null);
        VerifyAssertionResult verified;
        try
        {
            verified = await PasskeyRelyingParty.Verifier(configuration).MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = raw,
                OriginalOptions = options,
                StoredPublicKey = passkey.PublicKey.ToArray(),
                StoredSignatureCounter = passkey.SignCount,
                // WebAuthn §7.2 step 6: a returned user handle must be the credential owner's.
                IsUserHandleOwnerOfCredentialIdCallback = (owner, _) => Task.FromResult(
                    CryptographicOperations.FixedTimeEquals(owner.UserHandle, UserHandle(passkey.UserId))),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Fido2VerificationException ex) when (ex.Code == Fido2ErrorCode.InvalidSignCount)
        {
            return await CloneSuspectedAsync(passkey, received: null).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRefusal(ex))
        {
            return Invalid(Reason(ex), "The passkey's response could not be verified.", passkey.UserId);
        }

        // WebAuthn §7.2 step 22: with either counter non-zero, the new one must be greater. Fido2
        // 4.3.3 refuses that already (InvalidSignCount, above); this keeps the rule whatever the
        // library version, and reports it the same way.
        if ((passkey.SignCount != 0 || verified.SignCount != 0) && verified.SignCount <= passkey.SignCount)
        {
            return await CloneSuspectedAsync(passkey, verified.SignCount).ConfigureAwait(false);
        }

        UserRecord? user = await users.FindByIdAsync(passkey.UserId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return Invalid("unknown_account", "This passkey's account no longer exists.");
        }

        // Only after a valid proof is a disabled or locked account told apart, as for a password.
        if (AccountStanding.SignInRefusal(user, Clock.Now(time)) is { } refusal)
        {
            return new PasskeySignInResult(null, null, refusal.Error, refusal.RetryAfter, user.Id);
        }

        // The counter and the backup state move together, once: two assertions racing with one
        // counter value cannot both pass (IPasskeyStore.RecordUseAsync's compare-and-set).
        if (!await store.RecordUseAsync(passkey.CredentialId, passkey.SignCount, verified.SignCount, verified.IsBackedUp, Clock.Now(time), cancellationToken).ConfigureAwait(false))
        {
            return Invalid("concurrent_use", "This passkey was used at the same moment elsewhere; try again.", passkey.UserId);
        }

        return new PasskeySignInResult(user, passkey with { SignCount = verified.SignCount, BackedUp = verified.IsBackedUp }, null, null, null);
    }

    private async ValueTask<PasskeySignInResult> CloneSuspectedAsync(PasskeyCredential passkey, uint? received)
    {
        PasskeyLog.CloneSuspected(logger, passkey.UserId, passkey.CredentialId, passkey.SignCount, received);
        await events.PasskeyEventAsync(PasskeyAuditEventTypes.CloneSuspected, passkey.UserId, Audit.AuditActors.System, passkey.CredentialId, outcome: TesseraErrorCodes.PasskeyInvalid).ConfigureAwait(false);
        return Invalid("counter_not_increased", "The passkey's signature counter did not advance; this authenticator may have been cloned.", passkey.UserId);
    }

    private PasskeySignInResult Invalid(string reason, string message, string? userId = null)
    {
        PasskeyLog.SignInRefused(logger, reason);
        return new PasskeySignInResult(null, null, new TesseraError(TesseraErrorCodes.PasskeyInvalid, message), null, userId);
    }

    private static Outcome<PasskeyCredential> RegistrationFailed(string message) =>
        Outcome.Failure<PasskeyCredential>(TesseraErrorCodes.PasskeyRegistrationFailed, message);

    private static Outcome<PasskeyCredential> AlreadyRegistered() =>
        Outcome.Failure<PasskeyCredential>(TesseraErrorCodes.PasskeyAlreadyRegistered, "This passkey is registered already.");

    /// <summary>
    /// The exceptions a client's bytes can raise in the library (verification, JSON, CBOR, base64,
    /// COSE keys, ASN.1): a refusal, never a 500. Anything else (a store outage) goes on up.
    /// </summary>
    private static bool IsRefusal(Exception ex) => ex is Fido2VerificationException or JsonException or CborContentException or FormatException
        or CryptographicException or ArgumentException or InvalidOperationException or NotSupportedException or OverflowException or IndexOutOfRangeException
        or System.Formats.Asn1.AsnContentException or InvalidCastException or KeyNotFoundException;

    /// <summary>A short, secret-free reason for the log: the library's code, or the exception's type.</summary>
    private static string Reason(Exception ex) => ex is Fido2VerificationException fido ? fido.Code.ToString() : ex.GetType().Name;

    private static Fido2User Fido2User(UserRecord user) => new() { Id = UserHandle(user.Id), Name = user.Username, DisplayName = user.Username };

    private static PublicKeyCredentialDescriptor Descriptor(PasskeyCredential passkey) =>
        new(PublicKeyCredentialType.PublicKey, Base64Url.DecodeFromChars(passkey.CredentialId), [.. passkey.Transports.Select(Transport).OfType<AuthenticatorTransport>()]);

    /// <summary>The WebAuthn name of a transport (<c>usb</c>, <c>hybrid</c>, …), as the library's converter writes it.</summary>
    private static string? TransportName(AuthenticatorTransport transport) => JsonSerializer.Serialize(transport).Trim('"') is { Length: > 0 } name ? name : null;

    /// <summary>A stored transport name back as the library's value; null for one it does not know (a newer transport).</summary>
    private static AuthenticatorTransport? Transport(string name)
    {
        try
        {
            return JsonSerializer.Deserialize<AuthenticatorTransport>(JsonSerializer.Serialize(name));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A passkey sign-in: the user and the passkey (its new counter and backup state), or the error; <see cref="RefusedUserId"/> names the account a refusal is audited under.</summary>
internal sealed record PasskeySignInResult(UserRecord? User, PasskeyCredential? Passkey, TesseraError? Error, TimeSpan? RetryAfter, string? RefusedUserId);
