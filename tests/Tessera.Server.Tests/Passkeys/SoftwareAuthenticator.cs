using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Server.Tests.Passkeys;

/// <summary>
/// A WebAuthn authenticator and client in software, for tests only (no browser here): one ES256
/// (ECDSA P-256) discoverable credential. <see cref="Create"/> answers creation options with the
/// <c>RegistrationResponseJSON</c> a browser's <c>credential.toJSON()</c> gives (attestation
/// <c>none</c>, W3C WebAuthn L3 §6.5, §8.7), <see cref="Get"/> answers request options with an
/// <c>AuthenticationResponseJSON</c> signed by the key (§6.3.3). Every property a test may want to
/// get wrong is settable: the origin the "browser" reports, the RP id it hashes, the flags, the counter.
/// </summary>
internal sealed class SoftwareAuthenticator : IDisposable
{
    private const byte UserPresentFlag = 0x01;
    private const byte UserVerifiedFlag = 0x04;
    private const byte BackupEligibleFlag = 0x08;
    private const byte BackedUpFlag = 0x10;
    private const byte AttestedDataFlag = 0x40;

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public SoftwareAuthenticator()
    {
        CredentialId = RandomNumberGenerator.GetBytes(16);
    }

    /// <summary>The origin the client puts in <c>clientDataJSON</c>.</summary>
    public string Origin { get; set; } = "https://localhost";

    /// <summary>The RP id whose SHA-256 goes in <c>authenticatorData</c>; null: the one the options name (rp.id / rpId).</summary>
    public string? RpIdOverride { get; set; }

    public bool UserPresent { get; set; } = true;

    public bool UserVerified { get; set; } = true;

    public bool BackupEligible { get; set; } = true;

    public bool BackedUp { get; set; } = true;

    /// <summary>The signature counter of the next response; <see cref="Get"/> adds <see cref="CounterStep"/> before signing.</summary>
    public uint Counter { get; set; }

    /// <summary>How much the counter grows per assertion (0: an authenticator without a counter, as synced passkeys are).</summary>
    public uint CounterStep { get; set; }

    public byte[] CredentialId { get; }

    public string CredentialIdText => Base64Url.EncodeToString(CredentialId);

    /// <summary>The user handle of the options this credential was created for (returned on sign-in as a discoverable credential does).</summary>
    public byte[]? UserHandle { get; private set; }

    /// <summary>navigator.credentials.create(): the RegistrationResponseJSON for <paramref name="options"/> (PublicKeyCredentialCreationOptionsJSON).</summary>
    public JsonObject Create(JsonElement options)
    {
        string challenge = options.GetProperty("challenge").GetString()!;
        string rpId = RpIdOverride ?? options.GetProperty("rp").GetProperty("id").GetString()!;
        UserHandle = Base64Url.DecodeFromChars(options.GetProperty("user").GetProperty("id").GetString()!);
        byte[] clientData = ClientData("webauthn.create", challenge);

        byte[] publicKey = CosePublicKey();
        var authData = new List<byte>();
        authData.AddRange(SHA256.HashData(Encoding.UTF8.GetBytes(rpId)));
        authData.Add((byte)(Flags() | AttestedDataFlag));
        authData.AddRange(BigEndian(Counter));
        authData.AddRange(new byte[16]); // AAGUID: not disclosed (attestation none)
        authData.Add((byte)(CredentialId.Length >> 8));
        authData.Add((byte)CredentialId.Length);
        authData.AddRange(CredentialId);
        authData.AddRange(publicKey);

        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt");
        attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt");
        attestation.WriteStartMap(0);
        attestation.WriteEndMap();
        attestation.WriteTextString("authData");
        attestation.WriteByteString([.. authData]);
        attestation.WriteEndMap();

        return new JsonObject
        {
            ["id"] = CredentialIdText,
            ["rawId"] = CredentialIdText,
            ["type"] = "public-key",
            ["authenticatorAttachment"] = "platform",
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
                ["attestationObject"] = Base64Url.EncodeToString(attestation.Encode()),
                ["transports"] = new JsonArray("internal", "hybrid"),
                ["publicKeyAlgorithm"] = -7,
            },
            ["clientExtensionResults"] = new JsonObject(),
        };
    }

    /// <summary>navigator.credentials.get(): the AuthenticationResponseJSON for <paramref name="options"/> (PublicKeyCredentialRequestOptionsJSON).</summary>
    public JsonObject Get(JsonElement options)
    {
        string challenge = options.GetProperty("challenge").GetString()!;
        string rpId = RpIdOverride ?? options.GetProperty("rpId").GetString()!;
        Counter += CounterStep;
        byte[] clientData = ClientData("webauthn.get", challenge);
        var authData = new List<byte>();
        authData.AddRange(SHA256.HashData(Encoding.UTF8.GetBytes(rpId)));
        authData.Add(Flags());
        authData.AddRange(BigEndian(Counter));
        byte[] authenticatorData = [.. authData];
        // §6.3.3 step 11: the signature covers authenticatorData || SHA-256(clientDataJSON), DER-encoded for ES256.
        byte[] signature = _key.SignData([.. authenticatorData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new JsonObject
        {
            ["id"] = CredentialIdText,
            ["rawId"] = CredentialIdText,
            ["type"] = "public-key",
            ["authenticatorAttachment"] = "platform",
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
                ["authenticatorData"] = Base64Url.EncodeToString(authenticatorData),
                ["signature"] = Base64Url.EncodeToString(signature),
                ["userHandle"] = UserHandle is null ? null : Base64Url.EncodeToString(UserHandle),
            },
            ["clientExtensionResults"] = new JsonObject(),
        };
    }

    public void Dispose() => _key.Dispose();

    private byte Flags() => (byte)((UserPresent ? UserPresentFlag : 0) | (UserVerified ? UserVerifiedFlag : 0)
        | (BackupEligible ? BackupEligibleFlag : 0) | (BackedUp ? BackedUpFlag : 0));

    private byte[] ClientData(string type, string challenge) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["type"] = type, ["challenge"] = challenge, ["origin"] = Origin, ["crossOrigin"] = false });

    private static byte[] BigEndian(uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>The credential public key as a COSE_Key (RFC 9053 §7.1.1: kty EC2, alg ES256, crv P-256, x, y).</summary>
    private byte[] CosePublicKey()
    {
        ECParameters parameters = _key.ExportParameters(includePrivateParameters: false);
        var cose = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cose.WriteStartMap(5);
        cose.WriteInt32(1);
        cose.WriteInt32(2);
        cose.WriteInt32(3);
        cose.WriteInt32(-7);
        cose.WriteInt32(-1);
        cose.WriteInt32(1);
        cose.WriteInt32(-2);
        cose.WriteByteString(parameters.Q.X!);
        cose.WriteInt32(-3);
        cose.WriteByteString(parameters.Q.Y!);
        cose.WriteEndMap();
        return cose.Encode();
    }
}
