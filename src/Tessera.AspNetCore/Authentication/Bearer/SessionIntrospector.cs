using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tessera.Jose.Jwt;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// The optional revocation check: asks the issuer's RFC 7662 introspection endpoint whether the
/// token is still active, and remembers the answer per session (<c>sid</c>; <c>jti</c> for tokens
/// without one) for a short while, so a busy API asks once per session per interval, not per request.
/// The signature and claims were checked locally before, so "inactive" here means revoked.
/// Fails closed: no answer means the token is not accepted (503, not 401).
/// </summary>
internal sealed class SessionIntrospector
{
    private const int MaxEntries = 10_000;

    private static readonly BearerFailure Revoked = new(TesseraErrorCodes.SessionRevoked, "The token's session has ended.");
    private static readonly BearerFailure Unavailable = new(TesseraBearerErrorCodes.IntrospectionUnavailable, "The token's session could not be checked; try again shortly.");

    private readonly Uri _endpoint;
    private readonly AuthenticationHeaderValue _credentials;
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _cacheDuration;
    private readonly int _maxBytes;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, (bool Active, DateTimeOffset Until)> _answers = new(StringComparer.Ordinal);

    public SessionIntrospector(TesseraBearerOptions options, HttpClient http, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _endpoint = new Uri(options.IntrospectionEndpoint!, UriKind.Absolute);
        // RFC 6749 §2.3.1: the client id and secret are form-urlencoded before they are joined and base64-encoded.
        string pair = Uri.EscapeDataString(options.IntrospectionClientId!) + ":" + Uri.EscapeDataString(options.IntrospectionClientSecret!);
        _credentials = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        _http = http;
        _timeout = options.BackchannelTimeout;
        _cacheDuration = options.IntrospectionCacheDuration;
        _maxBytes = options.MaxResponseBytes;
        _time = options.TimeProvider ?? TimeProvider.System;
        _log = log;
    }

    /// <summary>Null when the session is active; else why the token is refused.</summary>
    public async ValueTask<BearerFailure?> CheckAsync(string token, JwtClaims claims, CancellationToken cancellationToken)
    {
        string? sid = claims.SessionId;
        string? key = sid is not null ? "sid:" + sid
            : claims.JwtId is { } jti ? "jti:" + jti
            : null;
        DateTimeOffset now = _time.GetUtcNow();
        if (key is not null && _answers.TryGetValue(key, out (bool Active, DateTimeOffset Until) known) && now < known.Until)
        {
            return known.Active ? null : Revoked;
        }

        bool? active = await IntrospectAsync(token, cancellationToken).ConfigureAwait(false);
        if (active is not bool answer)
        {
            return Unavailable;
        }

        if (key is not null && _cacheDuration > TimeSpan.Zero)
        {
            if (_answers.Count >= MaxEntries)
            {
                Prune(now);
            }

            _answers[key] = (answer, now + _cacheDuration);
        }

        if (!answer)
        {
            TesseraBearerLog.SessionInactive(_log, sid ?? "-");
        }

        return answer ? null : Revoked;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (KeyValuePair<string, (bool Active, DateTimeOffset Until)> entry in _answers)
        {
            if (entry.Value.Until <= now)
            {
                _answers.TryRemove(entry.Key, out _);
            }
        }

        if (_answers.Count >= MaxEntries)
        {
            _answers.Clear(); // still full of live answers: start over rather than grow without bound
        }
    }

    private async Task<bool?> IntrospectAsync(string token, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            // RFC 7662 §2.1: POST, form-encoded 'token' (and a hint), the caller authenticated.
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
            {
                Content = new FormUrlEncodedContent([new("token", token), new("token_type_hint", "access_token")]),
            };
            request.Headers.Authorization = _credentials;
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                TesseraBearerLog.IntrospectionFailed(_log, $"status {(int)response.StatusCode}", null);
                return null;
            }

            byte[]? body = await BoundedHttp.ReadAsync(response, _maxBytes, timeout.Token).ConfigureAwait(false);
            if (body is null)
            {
                TesseraBearerLog.IntrospectionFailed(_log, "response too large", null);
                return null;
            }

            // RFC 7662 §2.2: a JSON object whose 'active' member is a boolean.
            using JsonDocument answer = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            if (answer.RootElement.ValueKind == JsonValueKind.Object
                && answer.RootElement.TryGetProperty("active", out JsonElement active)
                && active.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return active.GetBoolean();
            }

            TesseraBearerLog.IntrospectionFailed(_log, "no boolean 'active' member", null);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            TesseraBearerLog.IntrospectionFailed(_log, "timeout", null);
            return null;
        }
        catch (HttpRequestException ex)
        {
            TesseraBearerLog.IntrospectionFailed(_log, "unreachable", ex);
            return null;
        }
        catch (JsonException ex)
        {
            TesseraBearerLog.IntrospectionFailed(_log, "not JSON", ex);
            return null;
        }
        catch (IOException ex)
        {
            TesseraBearerLog.IntrospectionFailed(_log, "unreachable", ex);
            return null;
        }
#pragma warning disable CA1031 // A check that cannot be made is a 503, never a 500.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            TesseraBearerLog.IntrospectionFailed(_log, "unexpected " + ex.GetType().Name, ex);
            return null;
        }
    }
}
