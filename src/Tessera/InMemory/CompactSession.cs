using System.Net;
using Tessera.Sessions;

namespace Tessera.InMemory;

/// <summary>
/// One session as <see cref="InMemorySessionStore"/> holds it: about a third of a
/// <see cref="SessionRecord"/> with its arrays and strings. Times are UTC ticks (the offset is not
/// kept: every time the store receives comes from <see cref="TimeProvider.GetUtcNow"/>, and Redis and
/// SQL keep none either); the secret hash is 32 bytes inline; the client address is 4 or 16 bytes
/// inline when its text is the canonical form <see cref="IPAddress.ToString"/> gives back (what
/// ASP.NET Core reports), else the text; user agent, kind and sign-in method are the store's pooled
/// instances (<see cref="BoundedStringInternPool"/>) and the user id is the one instance of the
/// user's index entry. What most sessions never have (revocation, flag, rotation, grant, DPoP key,
/// attributes) lives in <see cref="Extra"/>, absent until needed. A <see cref="SessionRecord"/> is
/// made on every read, so a caller never holds the store's state. Every member is touched only under
/// the store's lock.
/// </summary>
internal sealed class CompactSession
{
    private const byte NoAddress = 0;
    private const byte IPv4 = 4;
    private const byte IPv6 = 6;
    private const byte AddressText = 255;

    private Bytes32 _secretHash;
    private Bytes16 _address;
    private Bytes16 _handle;
    private byte _addressForm;
    private bool _handleIsText;

    private CompactSession(string handle, string userId)
    {
        if (CompactHandle.TryDecode(handle, _handle))
        {
            _handleIsText = false;
        }
        else
        {
            _handleIsText = true;
            GetOrAddExtra().HandleText = handle;
        }

        UserId = userId;
        Kind = SessionKinds.Cookie;
    }

    /// <summary>The handle's text (made on each read when it is held as its 16 bytes).</summary>
    public string Handle => _handleIsText ? Extra!.HandleText! : CompactHandle.Encode(_handle);

    /// <summary>The handle's 16 bytes when it is a canonical 128-bit base64url handle (<see cref="RandomIds.New128"/>'s form).</summary>
    public ReadOnlySpan<byte> HandleBytes => _handleIsText ? default : (ReadOnlySpan<byte>)_handle;

    /// <summary>The handle's text when it is not one of <see cref="RandomIds.New128"/>'s form; null when it is.</summary>
    public string? HandleText => _handleIsText ? Extra!.HandleText : null;

    /// <summary>The user; the same instance for every session of one user (the user index's).</summary>
    public string UserId { get; set; }

    public string Kind { get; private set; }

    public string? UserAgent { get; private set; }

    public string? AuthenticationMethods { get; private set; }

    public long CreatedTicks { get; private set; }

    public long LastSeenTicks { get; set; }

    public long IdleExpiresTicks { get; set; }

    public long AbsoluteExpiresTicks { get; private set; }

    /// <summary>The next session of the same user (the user index is a list through its sessions).</summary>
    public CompactSession? NextOfUser { get; set; }

    public CompactSessionExtra? Extra { get; private set; }

    /// <summary>The current secret hash (inline unless it is not 32 bytes long).</summary>
    public ReadOnlySpan<byte> SecretHash => Extra?.OddSecretHash is { } odd ? odd : (ReadOnlySpan<byte>)_secretHash;

    public bool IsRevoked => Extra?.RevokedAt is not null;

    public CompactSessionExtra GetOrAddExtra() => Extra ??= new CompactSessionExtra();

    public bool IsActiveAt(DateTimeOffset now) => !IsRevoked && now.UtcTicks < IdleExpiresTicks && now.UtcTicks < AbsoluteExpiresTicks;

    /// <summary>The store's copy of <paramref name="session"/>, sharing <paramref name="userId"/> and pooled strings.</summary>
    public static CompactSession From(SessionRecord session, string userId, BoundedStringInternPool pool)
    {
        var compact = new CompactSession(session.Handle, userId)
        {
            Kind = pool.Intern(session.Kind)!,
            UserAgent = pool.Intern(session.UserAgent),
            AuthenticationMethods = pool.Intern(session.AuthenticationMethods),
            CreatedTicks = session.CreatedAt.UtcTicks,
            LastSeenTicks = session.LastSeenAt.UtcTicks,
            IdleExpiresTicks = session.IdleExpiresAt.UtcTicks,
            AbsoluteExpiresTicks = session.AbsoluteExpiresAt.UtcTicks,
        };
        compact.SetSecretHash(session.SecretHash.Span);
        compact.SetAddress(session.ClientIp);
        if (session.RevokedAt is not null || session.FlaggedAt is not null || session.PreviousSecretHash is not null || session.SecretRotatedAt is not null
            || session.Generation != 0 || session.RotatedBy is not null || session.ClientId is not null || session.Scope is not null
            || session.AuthenticatedAt is not null || session.KeyThumbprint is not null || session.FormatVersion != SessionRecord.CurrentFormatVersion)
        {
            CompactSessionExtra extra = compact.GetOrAddExtra();
            extra.RevokedAt = session.RevokedAt;
            extra.RevocationReason = pool.Intern(session.RevocationReason);
            extra.FlaggedAt = session.FlaggedAt;
            extra.FlagReason = pool.Intern(session.FlagReason);
            extra.PreviousSecretHash = session.PreviousSecretHash?.ToArray();
            extra.SecretRotatedAt = session.SecretRotatedAt;
            extra.Generation = session.Generation;
            extra.RotatedBy = session.RotatedBy?.ToArray();
            extra.ClientId = pool.Intern(session.ClientId);
            extra.Scope = pool.Intern(session.Scope);
            extra.AuthenticatedAt = session.AuthenticatedAt;
            extra.KeyThumbprint = session.KeyThumbprint;
            extra.FormatVersion = session.FormatVersion;
        }

        return compact;
    }

    /// <summary>Replaces the current secret hash (the session must be out of the secret index meanwhile).</summary>
    public void SetSecretHash(ReadOnlySpan<byte> hash)
    {
        if (hash.Length == Bytes32.Length)
        {
            hash.CopyTo((Span<byte>)_secretHash);
            if (Extra is not null)
            {
                Extra.OddSecretHash = null;
            }
        }
        else
        {
            GetOrAddExtra().OddSecretHash = hash.ToArray();
        }
    }

    /// <summary>A new record with every field, the hashes as fresh arrays.</summary>
    public SessionRecord ToRecord()
    {
        CompactSessionExtra? extra = Extra;
        return new SessionRecord
        {
            Handle = Handle,
            UserId = UserId,
            SecretHash = SecretHash.ToArray(),
            CreatedAt = Utc(CreatedTicks),
            LastSeenAt = Utc(LastSeenTicks),
            IdleExpiresAt = Utc(IdleExpiresTicks),
            AbsoluteExpiresAt = Utc(AbsoluteExpiresTicks),
            ClientIp = ClientIp,
            UserAgent = UserAgent,
            Kind = Kind,
            AuthenticationMethods = AuthenticationMethods,
            RevokedAt = extra?.RevokedAt,
            RevocationReason = extra?.RevocationReason,
            FlaggedAt = extra?.FlaggedAt,
            FlagReason = extra?.FlagReason,
            PreviousSecretHash = extra?.PreviousSecretHash is { } previous ? previous.ToArray() : (ReadOnlyMemory<byte>?)null,
            SecretRotatedAt = extra?.SecretRotatedAt,
            Generation = extra?.Generation ?? 0,
            RotatedBy = extra?.RotatedBy is { } rotatedBy ? rotatedBy.ToArray() : (ReadOnlyMemory<byte>?)null,
            ClientId = extra?.ClientId,
            Scope = extra?.Scope,
            AuthenticatedAt = extra?.AuthenticatedAt,
            KeyThumbprint = extra?.KeyThumbprint,
            FormatVersion = extra?.FormatVersion ?? SessionRecord.CurrentFormatVersion,
        };
    }

    private string? ClientIp => _addressForm switch
    {
        IPv4 => new IPAddress(((ReadOnlySpan<byte>)_address)[..4]).ToString(),
        IPv6 => new IPAddress((ReadOnlySpan<byte>)_address).ToString(),
        AddressText => Extra!.ClientIpText,
        _ => null,
    };

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);

    // Inline only when the bytes give the very same text back; anything else is kept as it came.
    private void SetAddress(string? text)
    {
        if (text is null)
        {
            _addressForm = NoAddress;
            return;
        }

        if (IPAddress.TryParse(text, out IPAddress? parsed) && (parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || parsed.ScopeId == 0) && string.Equals(parsed.ToString(), text, StringComparison.Ordinal)
            && parsed.TryWriteBytes((Span<byte>)_address, out int written))
        {
            _addressForm = written == 4 ? IPv4 : IPv6;
            return;
        }

        GetOrAddExtra().ClientIpText = text;
        _addressForm = AddressText;
    }
}
