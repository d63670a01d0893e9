using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.BreachedPasswords;

/// <summary>What the breached-password service said about a password.</summary>
public enum BreachCheckResult
{
    /// <summary>The password is not in the corpus (or the check is off).</summary>
    NotFound,

    /// <summary>The password appeared in at least one breach.</summary>
    Found,

    /// <summary>The service did not answer in time, or not with a usable answer.</summary>
    Unavailable,
}

/// <summary>
/// The Pwned Passwords k-anonymity look-up (<see cref="BreachedPasswordOptions"/>): the SHA-1 of the
/// password is split into a 5-hex-character prefix, sent as <c>GET range/{prefix}</c> with
/// <c>Add-Padding: true</c> (so the answer's size does not tell which prefix was asked), and the
/// 35-character suffix is compared with the returned suffixes here. Padding entries carry a count
/// of 0 and never match. SHA-1 is the protocol's choice, not a protection of ours.
/// </summary>
public sealed partial class BreachedPasswordCheck(IHttpClientFactory clients, IOptions<BreachedPasswordOptions> options, TimeProvider time, ILogger<BreachedPasswordCheck> logger)
{
    /// <summary>A padded answer is about 1,000 lines of 40 bytes; anything far larger is not a range answer.</summary>
    private const int MaximumResponseBytes = 1024 * 1024;

    private const int PrefixLength = 5;

    private readonly BreachedPasswordOptions _options = options.Value;

    /// <summary>Whether the check is configured on; when off, every password passes it.</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>Looks <paramref name="password"/> up; never throws for the service's failures.</summary>
    public async Task<BreachCheckResult> CheckAsync(string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!_options.Enabled)
        {
            return BreachCheckResult.NotFound;
        }

        string hex = Sha1Hex(password);
        string prefix = hex[..PrefixLength];
        using var deadline = new CancellationTokenSource(_options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _options.RangeUri(prefix));
            request.Headers.Add("Add-Padding", "true");
            HttpClient client = clients.CreateClient(BreachedPasswordOptions.HttpClientName);
            using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                LogUnavailable(logger, $"status {(int)response.StatusCode}");
                return BreachCheckResult.Unavailable;
            }

            string? body = await ReadBoundedAsync(response.Content, linked.Token).ConfigureAwait(false);
            if (body is null)
            {
                LogUnavailable(logger, "an answer larger than a range answer");
                return BreachCheckResult.Unavailable;
            }

            return Contains(body, hex.AsSpan(PrefixLength)) ? BreachCheckResult.Found : BreachCheckResult.NotFound;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, $"no answer within {_options.Timeout.TotalMilliseconds} ms");
            return BreachCheckResult.Unavailable;
        }
        catch (HttpRequestException exception)
        {
            LogUnavailable(logger, exception.HttpRequestError.ToString());
            return BreachCheckResult.Unavailable;
        }
        catch (IOException exception)
        {
            // The body broke off (HttpIOException: connection reset, fewer bytes than announced).
            LogUnavailable(logger, exception.GetType().Name);
            return BreachCheckResult.Unavailable;
        }
    }

    /// <summary>
    /// The answer an endpoint sends instead of accepting <paramref name="password"/> for
    /// <paramref name="field"/>, or null to go on: a validation problem when it was breached, 503
    /// <c>breach_check_unavailable</c> when the service is down and the check fails closed.
    /// </summary>
    public async Task<IResult?> RefusalAsync(string field, string password, CancellationToken cancellationToken)
    {
        switch (await CheckAsync(password, cancellationToken).ConfigureAwait(false))
        {
            case BreachCheckResult.Found:
                LogFound(logger);
                return TesseraProblems.Validation(field, "This password has appeared in a data breach, so attackers try it first; choose another.");
            case BreachCheckResult.Unavailable when _options.FailClosed:
                return TesseraProblems.Problem(StatusCodes.Status503ServiceUnavailable, TesseraErrorCodes.BreachCheckUnavailable, "New passwords cannot be checked against known breaches right now; try again shortly.");
            default:
                return null;
        }
    }

    private static string Sha1Hex(string password)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(password);
        try
        {
            Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // The range API is keyed by SHA-1 (k-anonymity); nothing of ours relies on its strength.
            SHA1.HashData(utf8, digest);
#pragma warning restore CA5350
            return Convert.ToHexString(digest);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }

    /// <summary>Whether a line <c>SUFFIX:COUNT</c> with a positive count names <paramref name="suffix"/>.</summary>
    private static bool Contains(string body, ReadOnlySpan<char> suffix)
    {
        foreach (ReadOnlySpan<char> raw in body.AsSpan().EnumerateLines())
        {
            ReadOnlySpan<char> line = raw.Trim();
            int colon = line.IndexOf(':');
            if (colon < 0 || !line[..colon].Equals(suffix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            return int.TryParse(line[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count) && count > 0;
        }

        return false;
    }

    private static async Task<string?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaximumResponseBytes)
        {
            return null;
        }

        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = new MemoryStream();
            byte[] chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > MaximumResponseBytes)
                {
                    return null;
                }

                body.Write(chunk, 0, read);
            }

            return Encoding.ASCII.GetString(body.GetBuffer(), 0, (int)body.Length);
        }
    }

    [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "The breached-password service is unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Information, Message = "A new password was refused: it appears in the breached-password corpus")]
    private static partial void LogFound(ILogger logger);
}
