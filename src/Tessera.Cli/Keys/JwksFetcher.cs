using System.Globalization;
using System.Net;
using System.Text;

namespace Tessera.Cli.Keys;

/// <summary>
/// Fetches a JWK Set over HTTP(S) for <c>jwt verify --jwks URL</c>. The whole fetch (connect,
/// headers, body) has one deadline, the body is read up to a size cap, redirects stay on http(s)
/// and are few. Every failure is a <see cref="CliException"/> with code <c>jwks_unavailable</c>; the
/// URL is shown without user-info or query, which may carry credentials.
/// </summary>
internal sealed class JwksFetcher(HttpClient? client, TimeSpan timeout, int maxBytes)
{
    private const int MaxRedirects = 3;

    /// <summary>True when <paramref name="value"/> is meant as a URL (it has a scheme), whether or not an allowed one.</summary>
    public static bool LooksLikeUrl(string value) => value.Contains("://", StringComparison.Ordinal);

    /// <summary>An absolute http or https URL, or null.</summary>
    public static Uri? TryParseHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && !string.IsNullOrEmpty(uri.Host)
            ? uri
            : null;

    /// <summary>The URL as it may be printed: scheme, host, port and path only.</summary>
    public static string Display(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
    }

    public async Task<string> FetchAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        HttpClient http = client ?? CreateClient();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                return await FetchCoreAsync(http, uri, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Unavailable(uri, $"no complete response within {FormatTimeout()}");
            }
            catch (HttpRequestException exception)
            {
                throw Unavailable(uri, Describe(exception));
            }
            catch (IOException exception)
            {
                throw Unavailable(uri, $"the connection failed: {exception.Message}");
            }
        }
        finally
        {
            if (client is null)
            {
                http.Dispose();
            }
        }
    }

    private async Task<string> FetchCoreAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd("application/jwk-set+json");
        request.Headers.Accept.ParseAdd("application/json;q=0.9");
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Unavailable(uri, $"the server answered HTTP {(int)response.StatusCode} ({response.ReasonPhrase})");
        }

        if (response.RequestMessage?.RequestUri is { } final && TryParseHttpUrl(final.AbsoluteUri) is null)
        {
            throw Unavailable(uri, "the server redirected to a URL that is not http or https");
        }

        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw TooLarge(uri);
        }

        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(uri);
                }

                buffer.Write(chunk, 0, read);
            }

            try
            {
                return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)
                    .GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
            catch (DecoderFallbackException)
            {
                // The body arrived but is not a JWK Set: a key problem, not an availability one.
                throw new CliException(Jose.JoseErrorCodes.KeyInvalid, $"the JWK set from {Display(uri)} is not UTF-8 text");
            }
        }
    }

    private HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = MaxRedirects,
            ConnectTimeout = timeout,
            AutomaticDecompression = DecompressionMethods.None,
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private string FormatTimeout() => timeout.TotalSeconds >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0.###}s")
        : string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalMilliseconds:0}ms");

    private static string Describe(HttpRequestException exception) => exception.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "the host name does not resolve",
        HttpRequestError.ConnectionError => $"the connection failed: {exception.Message}",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",
        HttpRequestError.InvalidResponse => "the server's response is not valid HTTP",
        HttpRequestError.ResponseEnded => "the server closed the connection before a complete response",
        _ => exception.Message,
    };

    private CliException TooLarge(Uri uri) =>
        Unavailable(uri, $"the response is larger than the {maxBytes.ToString(CultureInfo.InvariantCulture)}-byte cap");

    private static CliException Unavailable(Uri uri, string reason) =>
        new(CliErrorCodes.JwksUnavailable, $"cannot fetch the JWK set from {Display(uri)}: {reason}");
}
