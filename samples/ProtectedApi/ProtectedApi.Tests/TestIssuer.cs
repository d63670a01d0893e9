using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace ProtectedApi.Tests;

/// <summary>
/// The API under test, trusting a signing key made here instead of the keys the configured
/// authority publishes: the handler gets them as fixed <c>Keys</c>, so nothing is fetched. The
/// tokens are signed like Tessera's (ES256, <c>typ: at+jwt</c>, the authority as issuer).
/// </summary>
public sealed class TestIssuer : WebApplicationFactory<Program>
{
    public const string Issuer = "https://auth.example";
    public const string Audience = "orders-api";

    private readonly Jwk _signingKey = Jwk.Generate("ES256");

    /// <summary>A key the API does not trust.</summary>
    public Jwk StrangerKey { get; } = Jwk.Generate("ES256");

    /// <summary>An access token for <paramref name="subject"/>, signed by the trusted key unless <paramref name="key"/> says otherwise.</summary>
    public string Token(string subject, string? scope = null, string[]? roles = null, TimeSpan? lifetime = null, Jwk? key = null, string audience = Audience)
    {
        var claims = new JsonObject();
        if (scope is not null)
        {
            claims["scope"] = scope;
        }

        if (roles is not null)
        {
            claims["roles"] = new JsonArray([.. roles.Select(r => JsonValue.Create(r))]);
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        return JwtSigner.Sign(new JwtDescriptor
        {
            Issuer = Issuer,
            Subject = subject,
            Audiences = [audience],
            IssuedAt = now.AddMinutes(-10),
            ExpiresAt = now + (lifetime ?? TimeSpan.FromMinutes(5)),
            Type = "at+jwt",
            AdditionalClaims = claims,
        }, key ?? _signingKey);
    }

    /// <summary>A client sending <paramref name="token"/> as a bearer token (RFC 6750 §2.1).</summary>
    public HttpClient ClientWith(string? token)
    {
        HttpClient client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services =>
            services.Configure<TesseraBearerOptions>(TesseraBearerDefaults.AuthenticationScheme, options =>
                options.Keys = JwkSet.Of(_signingKey.ToPublicJwk())));
}
