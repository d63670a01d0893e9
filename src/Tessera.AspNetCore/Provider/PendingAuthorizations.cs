using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Tessera.OAuth.Authorization;

namespace Tessera.AspNetCore.Provider;

/// <summary>
/// Carries a checked authorization request through the sign-in and consent pages without a
/// server-side store: the request, the browser session it is bound to (once the user signed in) and
/// an expiry, encrypted and authenticated with ASP.NET Core Data Protection. The browser holds an
/// opaque value it can neither read nor change; the expiry is read from the <see cref="TimeProvider"/>.
/// </summary>
public sealed class PendingAuthorizations(IDataProtectionProvider protection, TimeProvider time)
{
    /// <summary>Long enough to type a password and read a consent page; short enough that a copied link soon dies.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private const string Purpose = "Tessera.Provider.PendingAuthorization.v1";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    /// <summary>
    /// The opaque value for <paramref name="request"/>; <paramref name="sessionHandle"/> names the
    /// browser session that passed the sign-in checks (the consent step then requires that session).
    /// </summary>
    public string Protect(AuthorizationRequest request, string? sessionHandle)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pending = new Pending(request, sessionHandle, Clock.Now(time) + Lifetime);
        byte[] protectedBytes = _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(pending));
        return Convert.ToBase64String(protectedBytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The request and its session handle, or null when the value was changed, made elsewhere or has expired.</summary>
    public (AuthorizationRequest Request, string? SessionHandle)? Unprotect(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 16 * 1024)
        {
            return null;
        }

        try
        {
            string base64 = value.Replace('-', '+').Replace('_', '/');
            byte[] bytes = Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
            Pending? pending = JsonSerializer.Deserialize<Pending>(_protector.Unprotect(bytes));
            return pending is not null && Clock.Now(time) < pending.ExpiresAt ? (pending.Request, pending.SessionHandle) : null;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }

    private sealed record Pending(AuthorizationRequest Request, string? SessionHandle, DateTimeOffset ExpiresAt);
}
