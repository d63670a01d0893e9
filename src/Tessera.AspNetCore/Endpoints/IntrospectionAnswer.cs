using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tessera.Sessions;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>
/// The JSON bodies of RFC 7662 §2.2 answers, written with one <see cref="Utf8JsonWriter"/> per thread
/// straight to UTF-8 (no JSON node tree, no string of the whole body): introspection is a resource
/// server's hot path. Members in a fixed order; a value the token lacks is written as JSON null.
/// </summary>
internal static class IntrospectionAnswer
{
    // RFC 7662 §2.2: an inactive token gets only "active": false, whatever the reason.
    private static readonly byte[] InactiveBody = """{"active":false}"""u8.ToArray();

    private static readonly JsonEncodedText Active = JsonEncodedText.Encode("active");
    private static readonly JsonEncodedText TokenType = JsonEncodedText.Encode("token_type");
    private static readonly JsonEncodedText Scope = JsonEncodedText.Encode("scope");
    private static readonly JsonEncodedText ClientId = JsonEncodedText.Encode("client_id");
    private static readonly JsonEncodedText Subject = JsonEncodedText.Encode("sub");
    private static readonly JsonEncodedText SessionId = JsonEncodedText.Encode("sid");
    private static readonly JsonEncodedText Issuer = JsonEncodedText.Encode("iss");
    private static readonly JsonEncodedText Audience = JsonEncodedText.Encode("aud");
    private static readonly JsonEncodedText JwtId = JsonEncodedText.Encode("jti");
    private static readonly JsonEncodedText ExpiresAt = JsonEncodedText.Encode("exp");
    private static readonly JsonEncodedText IssuedAt = JsonEncodedText.Encode("iat");
    private static readonly JsonEncodedText Confirmation = JsonEncodedText.Encode("cnf");
    private static readonly JsonEncodedText RefreshTokenType = JsonEncodedText.Encode("refresh_token");

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary><c>{"active":false}</c>.</summary>
    public static IResult Inactive() => new Body(InactiveBody);

    /// <summary>An active access token: what the token itself says (RFC 7662 §2.2), not what the options say today.</summary>
    public static IResult ForAccessToken(InspectedAccessToken access, string audience)
    {
        Jose.Jwt.JwtClaims claims = access.Claims;
        // RFC 9449 §6.2: a DPoP-bound token is introspected with its cnf and token_type DPoP.
        // The DPoP binding as every resource server reads it (JwtClaims.Confirmation: only a non-empty cnf.jkt is one); the cnf echoed as issued.
        bool bound = claims.TryGetClaim("cnf", out JsonElement cnf) && cnf.ValueKind == JsonValueKind.Object;
        string? thumbprint = claims.Confirmation.KeyThumbprint;
        Utf8JsonWriter writer = Start();
        writer.WriteString(TokenType, Tessera.Dpop.DpopTokenTypes.Of(thumbprint));
        StringOrNull(writer, Scope, access.Scope);
        StringOrNull(writer, ClientId, access.ClientId);
        StringOrNull(writer, Subject, claims.Subject);
        StringOrNull(writer, SessionId, access.Session?.Handle);
        StringOrNull(writer, Issuer, claims.Issuer);
        writer.WriteString(Audience, audience);
        StringOrNull(writer, JwtId, claims.JwtId);
        NumberOrNull(writer, ExpiresAt, claims.ExpiresAt?.ToUnixTimeSeconds());
        NumberOrNull(writer, IssuedAt, claims.IssuedAt?.ToUnixTimeSeconds());
        if (bound)
        {
            writer.WritePropertyName(Confirmation);
            cnf.WriteTo(writer);
        }

        return Finish(writer);
    }

    /// <summary>An active refresh token: its session's scope and client (the configured ones for a session that names none) and the earlier of its expiries.</summary>
    public static IResult ForRefreshToken(SessionRecord session, TesseraTokenOptions options)
    {
        Utf8JsonWriter writer = Start();
        writer.WriteString(TokenType, RefreshTokenType);
        writer.WriteString(Scope, session.Scope ?? options.Scope);
        writer.WriteString(ClientId, session.ClientId ?? options.ClientId);
        StringOrNull(writer, Subject, session.UserId);
        StringOrNull(writer, SessionId, session.Handle);
        writer.WriteNumber(ExpiresAt, (session.IdleExpiresAt < session.AbsoluteExpiresAt ? session.IdleExpiresAt : session.AbsoluteExpiresAt).ToUnixTimeSeconds());
        return Finish(writer);
    }

    private static Utf8JsonWriter Start()
    {
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        Utf8JsonWriter writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteBoolean(Active, true);
        return writer;
    }

    private static Body Finish(Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.Flush();
        // Copied out: the buffer is this thread's and serves the next answer.
        return new Body(t_buffer!.WrittenSpan.ToArray());
    }

    private static void StringOrNull(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void NumberOrNull(Utf8JsonWriter writer, JsonEncodedText name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>A finished JSON body, sent as <c>application/json</c> with its length.</summary>
    private sealed class Body(byte[] json) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            HttpResponse response = httpContext.Response;
            response.ContentType = "application/json";
            response.ContentLength = json.Length;
            return response.Body.WriteAsync(json).AsTask();
        }
    }
}
