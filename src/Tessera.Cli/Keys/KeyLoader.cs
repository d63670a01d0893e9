using System.Text.Json;
using Tessera.Cli.Input;
using Tessera.Jose;
using Tessera.Jose.Keys;

namespace Tessera.Cli.Keys;

/// <summary>
/// Turns <c>--jwk FILE</c> and <c>--jwks FILE_OR_URL</c> into keys. Anything wrong with the key
/// material — unreadable file, bad JSON, unusable key, empty set — is <c>key_invalid</c>;
/// a URL that cannot be fetched is <c>jwks_unavailable</c>.
/// </summary>
internal sealed class KeyLoader(InputReader input)
{
    /// <summary>Reads one JWK from a file or stdin.</summary>
    public Jwk LoadJwk(string pathOrDash, string option = "--jwk")
    {
        string source = InputReader.Describe(pathOrDash);
        string json = input.ReadText(pathOrDash, $"the key ({option})", JoseErrorCodes.KeyInvalid);
        if (Jwk.TryParse(json, out Jwk? key, out JoseError? error))
        {
            return key!;
        }

        string hint = LooksLikeJwkSet(json) ? " (it looks like a JWK set: pass it with --jwks)" : string.Empty;
        throw new CliException(JoseErrorCodes.KeyInvalid, $"the key in {source} is not usable: {error!.Message}{hint}");
    }

    /// <summary>Reads a JWK set from a file, stdin, or an http(s) URL.</summary>
    public async Task<JwkSet> LoadJwkSetAsync(string fileOrUrl, JwksFetcher fetcher, CancellationToken cancellationToken)
    {
        string source;
        string json;
        if (JwksFetcher.TryParseHttpUrl(fileOrUrl) is { } url)
        {
            source = JwksFetcher.Display(url);
            ArgumentNullException.ThrowIfNull(fetcher);
            json = await fetcher.FetchAsync(url, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            source = InputReader.Describe(fileOrUrl);
            json = input.ReadText(fileOrUrl, "the JWK set (--jwks)", JoseErrorCodes.KeyInvalid);
        }

        if (!JwkSet.TryParse(json, out JwkSet? set, out JoseError? error))
        {
            throw new CliException(JoseErrorCodes.KeyInvalid, $"the JWK set from {source} is not usable: {error!.Message}");
        }

        if (set!.Keys.Count == 0)
        {
            throw new CliException(JoseErrorCodes.KeyInvalid, $"the JWK set from {source} has no usable keys ({set.SkippedKeys} skipped)");
        }

        return set;
    }

    private static bool LooksLikeJwkSet(string json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("keys", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
