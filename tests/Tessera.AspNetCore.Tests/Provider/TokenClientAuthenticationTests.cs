using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;
using Tessera.OAuth;

namespace Tessera.AspNetCore.Tests.Provider;

/// <summary>Client authentication at the token endpoint (RFC 6749 §2.3, RFC 7523, OIDC Core §9): one method, the registered one.</summary>
public sealed class TokenClientAuthenticationTests : IAsyncLifetime
{
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private ProviderTokenHost _host = null!;
    private Jwk _key = null!;

    public async Task InitializeAsync()
    {
        _host = await ProviderTokenHost.StartAsync();
        _key = Jwk.Generate("ES256", "client-key-1");
        await _host.AddClientAsync(_host.NewClient("jwt-client", ClientTypes.Confidential, ClientAuthMethods.PrivateKeyJwt, grants: [GrantTypes.ClientCredentials], scopes: ["orders:read"])
            with { JwksJson = JwkSet.Of(_key.ToPublicJwk()).ToJson() });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<HttpResponseMessage> ClientCredentialsAsync((string, string)? basic, params (string, string)[] extra) =>
        _host.TokenAsync(basic, [("grant_type", "client_credentials"), .. extra]);

    private string Assertion(string? issuer = "jwt-client", string? subject = "jwt-client", string audience = ProviderTokenHost.Issuer + "/oauth2/token", TimeSpan? lifetime = null, string? jti = null, Jwk? key = null)
    {
        DateTimeOffset now = _host.Time.GetUtcNow();
        return JwtSigner.Sign(new JwtDescriptor
        {
            Issuer = issuer,
            Subject = subject,
            Audiences = [audience],
            IssuedAt = now,
            ExpiresAt = now + (lifetime ?? TimeSpan.FromMinutes(1)),
            JwtId = jti ?? Guid.NewGuid().ToString("N"),
        }, key ?? _key, "ES256");
    }

    [Fact]
    public async Task ClientSecretBasicDecodesFormEncodedIdAndSecret()
    {
        // RFC 6749 §2.3.1: a client id with reserved characters is form-urlencoded inside Basic.
        (_, string secret) = await _host.AddConfidentialClientAsync("svc:a b+c", grants: [GrantTypes.ClientCredentials], scopes: ["orders:read"]);

        await ProviderTokenHost.AssertTokensAsync(await ClientCredentialsAsync(("svc:a b+c", secret)));
    }

    [Fact]
    public async Task ClientSecretPostWorksForAClientRegisteredForIt()
    {
        (_, string secret) = await _host.AddConfidentialClientAsync("poster", ClientAuthMethods.ClientSecretPost, grants: [GrantTypes.ClientCredentials], scopes: ["orders:read"]);

        await ProviderTokenHost.AssertTokensAsync(await ClientCredentialsAsync(null, ("client_id", "poster"), ("client_secret", secret)));
    }

    [Fact]
    public async Task AMethodOtherThanTheRegisteredOneIsInvalidClient()
    {
        (_, string secret) = await _host.AddConfidentialClientAsync("basic-only", grants: [GrantTypes.ClientCredentials], scopes: ["orders:read"]);

        await ProviderTokenHost.AssertOAuthErrorAsync(await ClientCredentialsAsync(null, ("client_id", "basic-only"), ("client_secret", secret)), "invalid_client");
    }

    [Fact]
    public async Task WrongSecretWithBasicIs401WithABasicChallenge()
    {
        await _host.AddConfidentialClientAsync("svc", grants: [GrantTypes.ClientCredentials], scopes: ["orders:read"]);

        HttpResponseMessage response = await ClientCredentialsAsync(("svc", "wrong"));

        await ProviderTokenHost.AssertOAuthErrorAsync(response, "invalid_client", 401);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task UnknownClientIsInvalidClient()
    {
        await ProviderTokenHost.AssertOAuthErrorAsync(await ClientCredentialsAsync(("nobody", "secret")), "invalid_client", 401);
        await ProviderTokenHost.AssertOAuthErrorAsync(await ClientCredentialsAsync(null, ("client_id", "nobody")), "invalid_client");
    }

    [Fact]
    public async Task TwoMethodsAtOnceIsInvalidRequest()
    {
        (_, string secret) = await _host.AddConfidentialClientAsync("svc", grants: [GrantTypes.ClientCredentials], scopes: ["orders:read"]);

        await ProviderTokenHost.AssertOAuthErrorAsync(await ClientCredentialsAsync(("svc", secret), ("client_id", "svc"), ("client_secret", secret)), "invalid_request");
    }

    [Fact]
    public async Task ConfidentialClientNamingItselfWithoutASecretIsInvalidClient()
    {
        await _host.AddConfidentialClientAsync("svc", grants: [GrantTypes.ClientCredentials], scopes: ["orders:read"]);

        await ProviderTokenHost.AssertOAuthErrorAsync(await ClientCredentialsAsync(null, ("client_id", "svc")), "invalid_client");
    }

    [Fact]
    public async Task PrivateKeyJwtAuthenticatesTheClient()
    {
        JsonElement tokens = await ProviderTokenHost.AssertTokensAsync(await ClientCredentialsAsync(null, ("client_assertion_type", AssertionType), ("client_assertion", Assertion())));

        Assert.Equal("jwt-client", ProviderTokenHost.Payload(tokens.GetProperty("access_token").GetString()!).GetProperty("client_id").GetString());
    }

    [Fact]
    public async Task PrivateKeyJwtWithTheIssuerAsAudienceIsAccepted()
    {
        await ProviderTokenHost.AssertTokensAsync(await ClientCredentialsAsync(null, ("client_assertion_type", AssertionType), ("client_assertion", Assertion(audience: ProviderTokenHost.Issuer))));
    }

    [Fact]
    public async Task AnAssertionUsedTwiceIsInvalidClient()
    {
        string assertion = Assertion();
        await ProviderTokenHost.AssertTokensAsync(await ClientCredentialsAsync(null, ("client_assertion_type", AssertionType), ("client_assertion", assertion)));

        await ProviderTokenHost.AssertOAuthErrorAsync(await ClientCredentialsAsync(null, ("client_assertion_type", AssertionType), ("client_assertion", assertion)), "invalid_client");
    }

    [Fact]
    public async Task AnAssertionReplayedJustAfterItsExpiryWithinTheClockSkewIsInvalidClient()
    {
        // RFC 7523 §3 (7): a jti is used once. The validator still accepts the assertion for the
        // clock skew after exp, so the replay cache must remember it at least that long.
        string assertion = Assertion(lifetime: TimeSpan.FromSeconds(30));
        await ProviderTokenHost.AssertTokensAsync(await ClientCredentialsAsync(null, ("client_assertion_type", AssertionType), ("client_assertion", assertion)));

        _host.Time.Advance(TimeSpan.FromSeconds(40));

        await ProviderTokenHost.AssertOAuthErrorAsync(await ClientCredentialsAsync(null, ("client_assertion_type", AssertionType), ("client_assertion", assertion)), "invalid_client");
    }

    public static TheoryData<string> BadAssertions() => ["other-audience", "long-lived", "expired", "subject-differs", "issuer-differs", "foreign-key", "wrong-type"];

    [Theory]
    [MemberData(nameof(BadAssertions))]
    public async Task BadAssertionsAreInvalidClient(string kind)
    {
        string assertion = kind switch
        {
            "other-audience" => Assertion(audience: "https://elsewhere.example/token"),
            "long-lived" => Assertion(lifetime: TimeSpan.FromHours(1)),
            "expired" => Assertion(lifetime: TimeSpan.FromMinutes(-5)),
            "subject-differs" => Assertion(subject: "someone-else"),
            "issuer-differs" => Assertion(issuer: "someone-else"),
            "foreign-key" => Assertion(key: Jwk.Generate("ES256", "client-key-1")),
            _ => Assertion(),
        };
        string type = kind == "wrong-type" ? "urn:ietf:params:oauth:client-assertion-type:saml2-bearer" : AssertionType;

        await ProviderTokenHost.AssertOAuthErrorAsync(await ClientCredentialsAsync(null, ("client_id", "jwt-client"), ("client_assertion_type", type), ("client_assertion", assertion)), "invalid_client");
    }

    [Fact]
    public async Task AClientRegisteredForPrivateKeyJwtCannotUseASecret()
    {
        await ProviderTokenHost.AssertOAuthErrorAsync(await ClientCredentialsAsync(("jwt-client", "anything")), "invalid_client", 401);
    }
}
