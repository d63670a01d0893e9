using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tessera.Jose;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// The issuer's keys, found through discovery (<c>{authority}/.well-known/openid-configuration</c>
/// → <c>jwks_uri</c>) and cached:
/// <list type="bullet">
/// <item>keys are reused for <c>KeyCacheDuration</c>, then fetched again;</item>
/// <item>one fetch at a time: concurrent callers wait for the fetch under way instead of starting their own;</item>
/// <item>a token naming an unknown <c>kid</c> causes a refetch (the issuer may have rotated), but never more
/// than one per <c>RefreshCooldown</c>, so garbage key ids cannot turn us into a fetch amplifier;</item>
/// <item>each fetch has a timeout and a response size cap;</item>
/// <item>when a refetch fails, the keys already held keep working (stale beats down).</item>
/// </list>
/// Durations are measured on the scheme's <see cref="TimeProvider"/>; the fetch timeout on the real clock.
/// </summary>
internal sealed class DiscoveryKeySource : BearerKeySource
{
    private static readonly BearerFailure Unavailable = new(TesseraBearerErrorCodes.JwksUnavailable, "The issuer's signing keys could not be fetched; try again shortly.");

    private readonly Uri _discovery;
    private readonly string _authority;
    private readonly string? _validIssuer;
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _cacheDuration;
    private readonly TimeSpan _cooldown;
    private readonly int _maxBytes;
    private readonly bool _requireHttps;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Func<string, JwtValidator> _validatorFor;

    private readonly Lock _gate = new();
    private BearerKeys? _current;
    private DateTimeOffset _fetchedAt;
    private DateTimeOffset? _lastAttempt;
    private Task<BearerKeysResult>? _inflight;

    public DiscoveryKeySource(TesseraBearerOptions options, HttpClient http, ILogger log, Func<string, JwtValidator> validatorFor)
    {
        ArgumentNullException.ThrowIfNull(options);
        _authority = Normalize(options.Authority!);
        _discovery = new Uri(_authority + "/" + TesseraBearerDefaults.DiscoveryPath, UriKind.Absolute);
        _validIssuer = options.ValidIssuer;
        _http = http;
        _timeout = options.BackchannelTimeout;
        _cacheDuration = options.KeyCacheDuration;
        _cooldown = options.RefreshCooldown;
        _maxBytes = options.MaxResponseBytes;
        _requireHttps = options.RequireHttps;
        _time = options.TimeProvider ?? TimeProvider.System;
        _log = log;
        _validatorFor = validatorFor;
    }

    public override async ValueTask<BearerKeysResult> GetAsync(CancellationToken cancellationToken)
    {
        Task<BearerKeysResult> fetch;
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            if (_current is not null && now - _fetchedAt < _cacheDuration)
            {
                Tessera.Telemetry.TesseraMetrics.CacheLookup(Tessera.Telemetry.TesseraCaches.Jwks, hit: true);
                return _current;
            }

            Tessera.Telemetry.TesseraMetrics.CacheLookup(Tessera.Telemetry.TesseraCaches.Jwks, hit: false);

            if (_inflight is null && CoolingDown(now))
            {
                // The last attempt failed a moment ago: answer from what we have rather than hammer the issuer.
                return _current is not null ? _current : new BearerKeysResult(null, Unavailable);
            }

            fetch = StartOrJoin(now);
        }

        return await AwaitAsync(fetch, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask<BearerKeysResult> RefreshForUnknownKeyAsync(BearerKeys seen, CancellationToken cancellationToken)
    {
        Task<BearerKeysResult> fetch;
        lock (_gate)
        {
            if (_current is not null && !ReferenceEquals(_current, seen))
            {
                return _current; // someone refreshed since this request looked: try the newer keys
            }

            DateTimeOffset now = _time.GetUtcNow();
            if (_inflight is null && CoolingDown(now))
            {
                return seen;
            }

            TesseraBearerLog.RefetchForUnknownKey(_log);
            fetch = StartOrJoin(now);
        }

        return await AwaitAsync(fetch, cancellationToken).ConfigureAwait(false);
    }

    private bool CoolingDown(DateTimeOffset now) => _lastAttempt is DateTimeOffset last && now - last < _cooldown;

    private Task<BearerKeysResult> StartOrJoin(DateTimeOffset now)
    {
        if (_inflight is null)
        {
            _lastAttempt = now;
            // Task.Run: the fetch never runs inside the lock, and is not tied to the request that started it.
            _inflight = Task.Run(FetchAndStoreAsync);
        }

        return _inflight;
    }

    private async Task<BearerKeysResult> AwaitAsync(Task<BearerKeysResult> fetch, CancellationToken cancellationToken)
    {
        // The caller may give up (its request was aborted); the shared fetch goes on for the others.
        BearerKeysResult result = await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (result.Keys is null)
        {
            lock (_gate)
            {
                if (_current is not null)
                {
                    return _current; // serve the keys we still hold
                }
            }
        }

        return result;
    }

    private async Task<BearerKeysResult> FetchAndStoreAsync()
    {
        BearerKeysResult result;
        try
        {
            using var timeout = new CancellationTokenSource(_timeout);
            result = await FetchAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            TesseraBearerLog.FetchFailed(_log, "timeout", $"no answer within {_timeout.TotalSeconds:0.###} s", ex);
            result = new BearerKeysResult(null, Unavailable);
        }
        catch (HttpRequestException ex)
        {
            TesseraBearerLog.FetchFailed(_log, "unreachable", ex.Message, ex);
            result = new BearerKeysResult(null, Unavailable);
        }
        catch (IOException ex)
        {
            TesseraBearerLog.FetchFailed(_log, "unreachable", ex.Message, ex);
            result = new BearerKeysResult(null, Unavailable);
        }
#pragma warning disable CA1031 // The shared fetch must always finish with a result, or every later request would wait on a faulted task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TesseraBearerLog.FetchFailed(_log, "unexpected", ex.GetType().Name, ex);
            result = new BearerKeysResult(null, Unavailable);
        }

        lock (_gate)
        {
            if (result.Keys is not null)
            {
                _current = result.Keys;
                _fetchedAt = _time.GetUtcNow();
            }

            _inflight = null;
        }

        return result;
    }

    private async Task<BearerKeysResult> FetchAsync(CancellationToken cancellationToken)
    {
        using JsonDocument? discovery = await GetJsonAsync(_discovery, "discovery", cancellationToken).ConfigureAwait(false);
        if (discovery is null)
        {
            return new BearerKeysResult(null, Unavailable);
        }

        JsonElement root = discovery.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("issuer", out JsonElement issuerElement) || issuerElement.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("jwks_uri", out JsonElement jwksElement) || jwksElement.ValueKind != JsonValueKind.String)
        {
            return Fail("discovery_invalid", "the discovery document has no 'issuer' and 'jwks_uri' strings");
        }

        // OpenID Connect Discovery 1.0 §4.3: the issuer in the document must be the one it was fetched for;
        // otherwise an attacker who controls one document could speak for another issuer.
        string issuer = issuerElement.GetString()!;
        if (!string.Equals(Normalize(issuer), _authority, StringComparison.Ordinal))
        {
            return Fail("issuer_mismatch", $"the discovery document names issuer '{issuer}', not the configured authority '{_authority}'");
        }

        string jwksAddress = jwksElement.GetString()!;
        if (!TesseraBearerOptions.IsAllowedAddress(jwksAddress, _requireHttps))
        {
            return Fail("discovery_invalid", "the discovery document's 'jwks_uri' is not an absolute https address");
        }

        byte[]? jwksBody = await GetBytesAsync(new Uri(jwksAddress, UriKind.Absolute), "jwks", cancellationToken).ConfigureAwait(false);
        if (jwksBody is null)
        {
            return new BearerKeysResult(null, Unavailable);
        }

        string jwksJson;
        try
        {
            jwksJson = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(jwksBody);
        }
        catch (ArgumentException)
        {
            return Fail("jwks_invalid", "the JWKS is not UTF-8");
        }

        if (!JwkSet.TryParse(jwksJson, out JwkSet? keys, out JoseError? error))
        {
            return Fail("jwks_invalid", error!.ToString());
        }

        if (keys!.Keys.Count == 0)
        {
            return Fail("jwks_invalid", $"the JWKS holds no usable key ({keys.SkippedKeys} skipped)");
        }

        if (keys.Keys.Any(k => k.KeyType == JwkKeyType.Octet))
        {
            // A published secret is no secret: never let it verify anything.
            return Fail("jwks_invalid", "the JWKS publishes a secret (oct) key");
        }

        TesseraBearerLog.KeysFetched(_log, keys.Keys.Count, keys.SkippedKeys, issuer);
        return new BearerKeys(keys, _validatorFor(_validIssuer ?? issuer), _validIssuer ?? issuer);
    }

    private BearerKeysResult Fail(string reason, string detail)
    {
        TesseraBearerLog.FetchFailed(_log, reason, detail, null);
        return new BearerKeysResult(null, Unavailable);
    }

    private async Task<JsonDocument?> GetJsonAsync(Uri address, string what, CancellationToken cancellationToken)
    {
        byte[]? body = await GetBytesAsync(address, what, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            Fail(what + "_invalid", "the response is not JSON");
            return null;
        }
    }

    private async Task<byte[]?> GetBytesAsync(Uri address, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            Fail(what + "_failed", $"{address} answered {(int)response.StatusCode}");
            return null;
        }

        byte[]? body = await BoundedHttp.ReadAsync(response, _maxBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            Fail(what + "_too_large", $"{address} answered more than {_maxBytes} bytes");
        }

        return body;
    }

    internal static string Normalize(string address) => address.TrimEnd('/');
}
