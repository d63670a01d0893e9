using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Tessera.AspNetCore.Authentication;
using Tessera.Sessions;

namespace Tessera.Fuzz.Targets;

/// <summary>
/// The credential readers of a request: <c>Authorization</c> (Bearer, RFC 6750 §2.1; Basic, RFC
/// 7617) and the cookies (the session cookie's secret, the access-token cookie). The input's lines
/// are header values: each line an <c>Authorization</c> value, and the whole input the
/// <c>Cookie</c> header too. Documented: a result, never an exception. Properties: a bearer token
/// read as present is a b64token; a Basic user-id holds no colon; a session secret that hashes is
/// the canonical 43-character base64url spelling.
/// </summary>
internal static class CredentialTarget
{
    private const string AccessCookie = "__Host-tessera-at";
    private const string SessionCookie = "__Host-tessera";

    public static void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.UTF8.GetString(input);
        string[] lines = text.Split('\n');
        var authorization = new StringValues(lines);

        Check(CredentialReader.ReadBearer(authorization));
        Check(CredentialReader.ReadBearer(lines[0]));
        CheckBasic(CredentialReader.ReadBasic(authorization));
        CheckBasic(CredentialReader.ReadBasic(lines[0]));

        var http = new DefaultHttpContext();
        http.Request.Headers.Authorization = lines.Length > 1 ? new StringValues(lines[1..]) : StringValues.Empty;
        http.Request.Headers.Cookie = lines[0];
        Check(CredentialReader.ReadAccessToken(http.Request, AccessCookie));

        string? secret = http.Request.Cookies[SessionCookie];
        foreach (string? candidate in (string?[])[secret, lines[0], text])
        {
            byte[] hash = new byte[SessionSecret.HashLength];
            if (SessionSecret.TryHash(candidate, hash))
            {
                FuzzPropertyException.Check(candidate!.Length == SessionSecret.EncodedLength && CredentialReader.IsB64Token(candidate),
                    "a session secret that hashes is 43 base64url characters");
            }
        }
    }

    private static void Check(BearerCredential credential)
    {
        switch (credential.Presence)
        {
            case CredentialPresence.Present:
                FuzzPropertyException.Check(credential.Token is { Length: > 0 } token && CredentialReader.IsB64Token(token), "a present bearer token is a b64token");
                break;
            case CredentialPresence.Malformed:
                FuzzPropertyException.Check(credential.Token is null && credential.Problem is not null, "a malformed credential carries a problem and no token");
                break;
            default:
                FuzzPropertyException.Check(credential.Token is null, "an absent credential carries no token");
                break;
        }
    }

    private static void CheckBasic(BasicCredential? basic)
    {
        if (basic is not null)
        {
            FuzzPropertyException.Check(!basic.UserId.Contains(':', StringComparison.Ordinal), "a Basic user-id holds no colon (RFC 7617 §2)");
        }
    }
}
