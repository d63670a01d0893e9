using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Jose.Jwt;

namespace Tessera.Cli.Input;

/// <summary>
/// Builds the claims of <c>jwt sign</c> from <c>--claims</c> and the claim flags. The rule: each
/// claim is given once. A claim set both by a flag (<c>--iss</c>, <c>--aud</c>, <c>--exp</c>) and
/// in <c>--claims</c> is a usage error rather than a silent override. What nobody gave is filled
/// in: <c>iat</c> is now, <c>exp</c> is now plus <see cref="DefaultLifetime"/>.
/// </summary>
internal static class ClaimsBuilder
{
    /// <summary>The lifetime of a token when neither <c>--exp</c> nor an <c>exp</c> claim sets one.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(15);

    private static readonly JsonDocumentOptions StrictOptions = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    /// <summary>The flags that set claims directly.</summary>
    public sealed record Flags(IReadOnlyList<string> Issuers, IReadOnlyList<string> Audiences, TimeSpan? Lifetime, string? Type);

    /// <summary>Parses <c>--claims</c> text: a JSON object. Anything else is a usage error.</summary>
    public static JsonObject ParseObject(string json, string source)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: StrictOptions);
        }
        catch (JsonException exception)
        {
            // The parser's message gives the position, never the content.
            throw CliException.Usage($"--claims from {source} is not valid JSON: {exception.Message}");
        }

        return node as JsonObject
            ?? throw CliException.Usage($"--claims from {source} must be a JSON object, like {{\"sub\":\"alice\"}}");
    }

    public static JwtDescriptor Build(JsonObject? claims, Flags flags, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(flags);
        JsonObject extra = claims ?? [];
        var descriptor = new JwtDescriptor();
        if (flags.Type is not null)
        {
            descriptor.Type = flags.Type;
        }

        descriptor.Issuer = TakeString(extra, "iss");
        descriptor.Subject = TakeString(extra, "sub");
        descriptor.JwtId = TakeString(extra, "jti");
        descriptor.NotBefore = TakeNumericDate(extra, "nbf");
        descriptor.IssuedAt = TakeNumericDate(extra, "iat") ?? now;
        IReadOnlyList<string>? audiences = TakeAudiences(extra);
        DateTimeOffset? expiresAt = TakeNumericDate(extra, "exp");

        if (flags.Issuers.Count > 0)
        {
            Conflict("iss", "--iss", descriptor.Issuer);
            if (flags.Issuers.Count > 1)
            {
                throw CliException.Usage("a token has one issuer: give --iss once");
            }

            descriptor.Issuer = flags.Issuers[0];
        }

        if (flags.Audiences.Count > 0)
        {
            Conflict("aud", "--aud", audiences);
            audiences = flags.Audiences;
        }

        if (flags.Lifetime is TimeSpan lifetime)
        {
            Conflict("exp", "--exp", expiresAt);
            expiresAt = now + lifetime;
        }

        descriptor.Audiences = audiences;
        descriptor.ExpiresAt = expiresAt ?? now + DefaultLifetime;
        descriptor.AdditionalClaims = extra.Count > 0 ? extra : null;
        return descriptor;
    }

    private static void Conflict(string claim, string flag, object? fromClaims)
    {
        if (fromClaims is not null)
        {
            throw CliException.Usage($"'{claim}' is given both by {flag} and in --claims: give it once");
        }
    }

    private static string? TakeString(JsonObject claims, string name)
    {
        if (!claims.Remove(name, out JsonNode? node))
        {
            return null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw CliException.Usage($"--claims: '{name}' must be a string");
    }

    private static string[]? TakeAudiences(JsonObject claims)
    {
        if (!claims.Remove("aud", out JsonNode? node))
        {
            return null;
        }

        const string Message = "--claims: 'aud' must be a string or a non-empty array of strings";
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return [value.GetValue<string>()];
        }

        if (node is JsonArray array && array.Count > 0
            && array.All(item => item is JsonValue v && v.GetValueKind() == JsonValueKind.String))
        {
            return array.Select(item => item!.GetValue<string>()).ToArray();
        }

        throw CliException.Usage(Message);
    }

    private static DateTimeOffset? TakeNumericDate(JsonObject claims, string name)
    {
        if (!claims.Remove(name, out JsonNode? node))
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && value.TryGetValue(out long seconds) && seconds is >= 0 and <= 253_402_300_799)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        throw CliException.Usage($"--claims: '{name}' must be a NumericDate: whole seconds since 1970-01-01T00:00:00Z");
    }
}
