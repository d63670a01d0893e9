using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.AspNetCore.Tests.Bearer;

/// <summary>How the in-test issuer answers discovery and JWKS requests.</summary>
public enum IssuerBehaviour
{
    Normal,
    Fail,
    Garbage,
    Hang,
    Huge,
}

/// <summary>
/// An in-test token issuer on a real Kestrel socket (127.0.0.1, a free port): discovery, JWKS
/// and an RFC 7662 introspection endpoint, keys made with Tessera.Jose; it can rotate keys,
/// fail, hang, answer garbage, and counts every request.
/// </summary>
public sealed class FakeIssuer : IAsyncDisposable
{
    public const string Audience = "orders-api";
    public const string IntrospectionClientId = "orders-api";
    public const string IntrospectionClientSecret = "s3cret/with:odd chars";

    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly List<Jwk> _published = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _discoveryRequests;
    private int _jwksRequests;
    private int _introspectionRequests;

    private FakeIssuer(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
        SigningKey = Jwk.Generate("ES256");
        _published.Add(SigningKey);
    }

    public string Authority { get; private set; } = "";

    /// <summary>The key new tokens are signed with.</summary>
    public Jwk SigningKey { get; private set; }

    /// <summary>How discovery and the JWKS answer.</summary>
    public IssuerBehaviour Behaviour { get; set; }

    /// <summary>When set, discovery names this issuer instead of <see cref="Authority"/>.</summary>
    public string? DiscoveryIssuerOverride { get; set; }

    /// <summary>When true, only the JWKS (not discovery) hangs until <see cref="ReleaseHeldRequests"/>.</summary>
    public bool HoldJwks { get; set; }

    /// <summary>When true, the introspection endpoint hangs until <see cref="ReleaseHeldRequests"/> or the caller gives up.</summary>
    public bool HoldIntrospection { get; set; }

    /// <summary>When set, the JWKS endpoint answers this text instead of the published keys.</summary>
    public string? JwksOverride { get; set; }

    public ConcurrentDictionary<string, bool> RevokedSessions { get; } = new(StringComparer.Ordinal);

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public int IntrospectionRequests => Volatile.Read(ref _introspectionRequests);

    public static async Task<FakeIssuer> StartAsync(TimeProvider time)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var issuer = new FakeIssuer(app, time);
        app.MapGet("/.well-known/openid-configuration", issuer.DiscoveryAsync);
        app.MapGet("/jwks.json", issuer.JwksAsync);
        app.MapPost("/oauth2/introspect", issuer.IntrospectAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        issuer.Authority = address.TrimEnd('/');
        return issuer;
    }

    /// <summary>Publishes a new signing key; the old one stays published unless <paramref name="dropOld"/>.</summary>
    public Jwk Rotate(bool dropOld = false, string algorithm = "ES256")
    {
        Jwk next = Jwk.Generate(algorithm);
        lock (_gate)
        {
            if (dropOld)
            {
                _published.Clear();
            }

            _published.Add(next);
        }

        SigningKey = next;
        return next;
    }

    /// <summary>Publishes a key without making it the signing key.</summary>
    public Jwk Publish(string algorithm)
    {
        Jwk key = Jwk.Generate(algorithm);
        lock (_gate)
        {
            _published.Add(key);
        }

        return key;
    }

    public void ReleaseHeldRequests()
    {
        TaskCompletionSource release;
        lock (_gate)
        {
            release = _release;
            _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        release.SetResult();
    }

    public string PublicJwksJson()
    {
        lock (_gate)
        {
            return new JwkSet(_published.Select(k => k.ToPublicJwk())).ToJson();
        }
    }

    /// <summary>A valid RFC 9068 access token for alice (session s-1), which <paramref name="change"/> may spoil.</summary>
    public string Token(Action<JwtDescriptor>? change = null, Jwk? key = null, string? algorithm = null)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var descriptor = new JwtDescriptor
        {
            Issuer = Authority,
            Subject = "alice",
            Audiences = [Audience],
            IssuedAt = now,
            ExpiresAt = now.AddMinutes(10),
            JwtId = Guid.NewGuid().ToString("N"),
            Type = "at+jwt",
            AdditionalClaims = new JsonObject
            {
                ["sid"] = "s-1",
                ["scope"] = "orders:read profile",
                ["roles"] = new JsonArray("admin", "clerk"),
                ["tenant"] = "acme",
            },
        };
        change?.Invoke(descriptor);
        return JwtSigner.Sign(descriptor, key ?? SigningKey, algorithm);
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseHeldRequests();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task DiscoveryAsync(HttpContext context)
    {
        Interlocked.Increment(ref _discoveryRequests);
        if (await MisbehaveAsync(context, jwks: false))
        {
            return;
        }

        var document = new JsonObject
        {
            ["issuer"] = DiscoveryIssuerOverride ?? Authority,
            ["jwks_uri"] = Authority + "/jwks.json",
            ["introspection_endpoint"] = Authority + "/oauth2/introspect",
        };
        await context.Response.WriteAsync(document.ToJsonString(), context.RequestAborted);
    }

    private async Task JwksAsync(HttpContext context)
    {
        Interlocked.Increment(ref _jwksRequests);
        if (await MisbehaveAsync(context, jwks: true))
        {
            return;
        }

        context.Response.ContentType = "application/jwk-set+json";
        await context.Response.WriteAsync(JwksOverride ?? PublicJwksJson(), context.RequestAborted);
    }

    private async Task<bool> MisbehaveAsync(HttpContext context, bool jwks)
    {
        if (Behaviour == IssuerBehaviour.Hang || (jwks && HoldJwks))
        {
            Task release;
            lock (_gate)
            {
                release = _release.Task;
            }

            try
            {
                await release.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return true; // the client gave up
            }

            if (Behaviour == IssuerBehaviour.Hang)
            {
                return true;
            }
        }

        switch (Behaviour)
        {
            case IssuerBehaviour.Fail:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return true;
            case IssuerBehaviour.Garbage:
                await context.Response.WriteAsync(jwks ? "{\"keys\": not json" : "<html>oops</html>", context.RequestAborted);
                return true;
            case IssuerBehaviour.Huge when jwks:
                // Valid JSON, far larger than a key set should be; no Content-Length, so the cap is hit while reading.
                await context.Response.WriteAsync("{\"keys\":[],\"padding\":\"", context.RequestAborted);
                string chunk = new('x', 64 * 1024);
                for (int i = 0; i < 32; i++)
                {
                    await context.Response.WriteAsync(chunk, context.RequestAborted);
                }

                await context.Response.WriteAsync("\"}", context.RequestAborted);
                return true;
            default:
                return false;
        }
    }

    private async Task IntrospectAsync(HttpContext context)
    {
        Interlocked.Increment(ref _introspectionRequests);
        if (HoldIntrospection)
        {
            Task release;
            lock (_gate)
            {
                release = _release.Task;
            }

            try
            {
                await release.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(
            Uri.EscapeDataString(IntrospectionClientId) + ":" + Uri.EscapeDataString(IntrospectionClientSecret)));
        if (context.Request.Headers.Authorization != expected)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { error = "invalid_client" }, context.RequestAborted);
            return;
        }

        IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted);
        string token = form["token"].ToString();
        bool active = JwtDecoder.TryDecodeUnverified(token, out UnverifiedJwt? decoded, out _)
            && decoded!.Payload.TryGetProperty("sid", out System.Text.Json.JsonElement sid)
            && !RevokedSessions.ContainsKey(sid.GetString()!);
        await context.Response.WriteAsJsonAsync(active ? new { active = true, sub = "alice" } : (object)new { active = false }, context.RequestAborted);
    }
}
