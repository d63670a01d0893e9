using System.Text.Json;
using Tessera.OAuth;

namespace Tessera.Cli.Output;

/// <summary>
/// How the client commands show a client: aligned <c>name: value</c> lines or a table for people,
/// and JSON with the admin API's member names for scripts. Never a secret hash; a new secret only
/// when one was just made, with the warning that it is shown once.
/// </summary>
internal static class ClientOutput
{
    public const string SecretWarning = "Store this secret now: it is shown only this once (Tessera keeps only its hash).";

    public static void WriteTable(TextWriter output, IReadOnlyList<OAuthClient> clients)
    {
        if (clients.Count == 0)
        {
            output.WriteLine("No clients registered.");
            return;
        }

        TableOutput.Write(output, ["CLIENT ID", "TYPE", "AUTH METHOD", "GRANT TYPES", "REDIRECT URIS", "SECRETS"], clients.Select(c => (IReadOnlyList<string>)
            [c.ClientId, c.ClientType, c.TokenEndpointAuthMethod, string.Join(' ', c.GrantTypes), string.Join(' ', c.RedirectUris), c.SecretHashes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
    }

    public static void WriteDetails(TextWriter output, OAuthClient client)
    {
        (string Name, string Value)[] lines =
        [
            ("client id", client.ClientId),
            ("name", client.DisplayName),
            ("type", client.ClientType),
            ("auth method", client.TokenEndpointAuthMethod),
            ("grant types", string.Join(' ', client.GrantTypes)),
            ("scopes", string.Join(' ', client.Scopes)),
            ("redirect uris", string.Join(' ', client.RedirectUris)),
            ("post-logout uris", string.Join(' ', client.PostLogoutRedirectUris)),
            ("cors origins", string.Join(' ', client.CorsOrigins)),
            ("consent", client.RequireConsent ? "asked" : "not asked (trusted)"),
            ("id token alg", client.IdTokenSignedResponseAlg),
            ("secrets", client.SecretHashes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        int width = lines.Max(l => l.Name.Length) + 1;
        foreach ((string name, string value) in lines)
        {
            output.WriteLine($"{(name + ":").PadRight(width)} {(value.Length == 0 ? "-" : value)}");
        }
    }

    /// <summary>The new secret and the warning, for people.</summary>
    public static void WriteSecret(TextWriter output, string secret)
    {
        output.WriteLine();
        output.WriteLine($"client secret: {secret}");
        output.WriteLine(SecretWarning);
    }

    /// <summary>One client as a JSON object (the admin API's shape), with <c>clientSecret</c> and <c>warning</c> when a secret was just made.</summary>
    public static void WriteJson(Utf8JsonWriter writer, OAuthClient client, string? newSecret = null)
    {
        writer.WriteStartObject();
        writer.WriteString("clientId", client.ClientId);
        writer.WriteString("displayName", client.DisplayName);
        writer.WriteString("clientType", client.ClientType);
        writer.WriteString("tokenEndpointAuthMethod", client.TokenEndpointAuthMethod);
        if (client.JwksJson is { } jwks)
        {
            writer.WritePropertyName("jwks");
            using JsonDocument document = JsonDocument.Parse(jwks);
            document.RootElement.WriteTo(writer);
        }

        WriteList(writer, "redirectUris", client.RedirectUris);
        WriteList(writer, "postLogoutRedirectUris", client.PostLogoutRedirectUris);
        WriteList(writer, "grantTypes", client.GrantTypes);
        WriteList(writer, "scopes", client.Scopes);
        WriteList(writer, "corsOrigins", client.CorsOrigins);
        writer.WriteBoolean("requireConsent", client.RequireConsent);
        writer.WriteString("idTokenSignedResponseAlg", client.IdTokenSignedResponseAlg);
        writer.WriteString("createdAt", client.CreatedAt);
        writer.WriteNumber("secretCount", client.SecretHashes.Count);
        if (newSecret is not null)
        {
            writer.WriteString("clientSecret", newSecret);
            writer.WriteString("warning", SecretWarning);
        }

        writer.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
