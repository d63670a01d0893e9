using Tessera.Jose.Keys;
using Tessera.OAuth;
using Tessera.OAuth.Registration;

namespace Tessera.Tests.OAuth;

/// <summary>Each field of a client registration: what is refused, with which code, and the defaults.</summary>
public sealed class ClientRegistrationRulesTests
{
    private static readonly ClientRegistrationRequest Public = new()
    {
        ClientId = "spa",
        ClientType = ClientTypes.Public,
        RedirectUris = ["https://app.example.org/callback"],
    };

    private static readonly ClientRegistrationRequest Confidential = new()
    {
        ClientId = "web",
        ClientType = ClientTypes.Confidential,
        RedirectUris = ["https://web.example.org/signin-oidc"],
    };

    [Fact]
    public void APublicClientGetsTheDefaults()
    {
        (ClientRegistrationRequest? valid, IReadOnlyList<ClientRegistrationProblem> problems) = ClientRegistrationRules.Check(Public);

        Assert.Empty(problems);
        Assert.Equal(ClientAuthMethods.None, valid!.TokenEndpointAuthMethod);
        Assert.Equal("spa", valid.DisplayName);
        Assert.Equal([GrantTypes.AuthorizationCode, GrantTypes.RefreshToken], valid.GrantTypes);
        Assert.Equal(["openid", "profile", "offline_access"], valid.Scopes);
        Assert.Equal("RS256", valid.IdTokenSignedResponseAlg);
        Assert.True(valid.RequireConsent);
    }

    [Fact]
    public void AConfidentialClientDefaultsToClientSecretBasic()
    {
        Assert.Equal(ClientAuthMethods.ClientSecretBasic, ClientRegistrationRules.Check(Confidential).Normalized!.TokenEndpointAuthMethod);
    }

    [Fact]
    public void AServiceWithOnlyClientCredentialsNeedsNoRedirectUriAndGetsNoDefaultScopes()
    {
        var service = Confidential with { RedirectUris = null, GrantTypes = [GrantTypes.ClientCredentials] };

        ClientRegistrationRequest valid = ClientRegistrationRules.Check(service).Normalized!;

        Assert.Empty(valid.Scopes!);
        Assert.Empty(valid.RedirectUris!);
    }

    [Fact]
    public void DuplicatesAreDroppedInOrder()
    {
        var request = Public with { RedirectUris = ["https://a.example/cb", "https://b.example/cb", "https://a.example/cb"], Scopes = ["openid", "api", "openid"] };

        ClientRegistrationRequest valid = ClientRegistrationRules.Check(request).Normalized!;

        Assert.Equal(["https://a.example/cb", "https://b.example/cb"], valid.RedirectUris);
        Assert.Equal(["openid", "api"], valid.Scopes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/")]
    [InlineData("ünïcode")]
    [InlineData("a:b")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123X")]
    public void ClientIdsOutsideTheAlphabetOrLongerThan64AreRefused(string? clientId)
    {
        AssertRefused(Public with { ClientId = clientId }, "clientId", TesseraErrorCodes.ClientIdInvalid);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("my-app_v2.example")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void ClientIdsOfTheAlphabetUpTo64AreAccepted(string clientId)
    {
        Assert.Empty(ClientRegistrationRules.Validate(Public with { ClientId = clientId }));
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("tab\there")]
    public void BlankOrControlCharacterDisplayNamesAreRefused(string name)
    {
        AssertRefused(Public with { DisplayName = name }, "displayName", TesseraErrorCodes.ClientNameInvalid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Public")]
    [InlineData("trusted")]
    public void TheTypeIsPublicOrConfidential(string? type)
    {
        AssertRefused(Public with { ClientType = type }, "clientType", TesseraErrorCodes.ClientTypeInvalid);
    }

    [Theory]
    [InlineData(ClientTypes.Public, ClientAuthMethods.ClientSecretBasic)]
    [InlineData(ClientTypes.Public, ClientAuthMethods.ClientSecretPost)]
    [InlineData(ClientTypes.Public, ClientAuthMethods.PrivateKeyJwt)]
    [InlineData(ClientTypes.Confidential, ClientAuthMethods.None)]
    [InlineData(ClientTypes.Confidential, "client_secret_jwt")]
    [InlineData(ClientTypes.Confidential, "tls_client_auth")]
    public void TheAuthMethodMustExistAndFitTheType(string type, string method)
    {
        AssertRefused(Public with { ClientType = type, TokenEndpointAuthMethod = method }, "tokenEndpointAuthMethod", TesseraErrorCodes.ClientAuthMethodInvalid);
    }

    [Fact]
    public void PrivateKeyJwtNeedsAJwks()
    {
        AssertRefused(Confidential with { TokenEndpointAuthMethod = ClientAuthMethods.PrivateKeyJwt }, "jwks", TesseraErrorCodes.ClientJwksInvalid);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"kty\":\"EC\"}")]
    [InlineData("{\"keys\":[]}")]
    [InlineData("{\"keys\":[{\"kty\":\"oct\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\"}]}")]
    public void AJwksThatIsUnreadableEmptyOrSecretIsRefused(string jwks)
    {
        AssertRefused(Confidential with { TokenEndpointAuthMethod = ClientAuthMethods.PrivateKeyJwt, JwksJson = jwks }, "jwks", TesseraErrorCodes.ClientJwksInvalid);
    }

    [Fact]
    public void AJwksWithAPrivateKeyIsRefused()
    {
        string withPrivate = $"{{\"keys\":[{Jwk.Generate("ES256", "k1").ToJson(includePrivate: true)}]}}";

        AssertRefused(Confidential with { TokenEndpointAuthMethod = ClientAuthMethods.PrivateKeyJwt, JwksJson = withPrivate }, "jwks", TesseraErrorCodes.ClientJwksInvalid);
    }

    [Fact]
    public void AJwksWhoseOnlyKeyIsForEncryptionIsRefused()
    {
        var key = System.Text.Json.Nodes.JsonNode.Parse(Jwk.Generate("ES256", "k1").ToPublicJwk().ToJson())!.AsObject();
        key["use"] = "enc";

        AssertRefused(Confidential with { TokenEndpointAuthMethod = ClientAuthMethods.PrivateKeyJwt, JwksJson = $"{{\"keys\":[{key.ToJsonString()}]}}" }, "jwks", TesseraErrorCodes.ClientJwksInvalid);
    }

    [Fact]
    public void APublicSigningKeyIsStoredInItsPublicForm()
    {
        string publicKey = Jwk.Generate("ES256", "k1").ToPublicJwk().ToJson();
        var request = Confidential with { TokenEndpointAuthMethod = ClientAuthMethods.PrivateKeyJwt, JwksJson = $"{{ \"keys\" : [ {publicKey} ] }}" };

        ClientRegistrationRequest valid = ClientRegistrationRules.Check(request).Normalized!;

        Assert.Equal("k1", JwkSet.Parse(valid.JwksJson!).Keys.Single().KeyId);
    }

    [Fact]
    public void AJwksWithAnotherMethodIsRefused()
    {
        string publicKey = Jwk.Generate("ES256", "k1").ToPublicJwk().ToJson();

        AssertRefused(Confidential with { JwksJson = $"{{\"keys\":[{publicKey}]}}" }, "jwks", TesseraErrorCodes.ClientJwksInvalid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/callback")]
    [InlineData("app.example.org/callback")]
    [InlineData("https://app.example.org/callback#fragment")]
    [InlineData("https://app.example.org/callback#")]
    [InlineData("https://user:pass@app.example.org/callback")]
    [InlineData("https://user@app.example.org/callback")]
    [InlineData("http://app.example.org/callback")]
    [InlineData("http://127.0.0.2/callback")]
    [InlineData("http://localhost.example.org/callback")]
    [InlineData("HTTPS://app.example.org/callback")]
    [InlineData("https://app.example.org/call back")]
    [InlineData("https://app.example.org/\u00e9")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData("file:///etc/passwd")]
    [InlineData("myapp:/callback")]
    [InlineData("com.example.app://callback")]
    [InlineData("https:///callback")]
    public void UnsafeOrUnmatchableRedirectUrisAreRefused(string uri)
    {
        AssertRefused(Public with { RedirectUris = [uri] }, "redirectUris", TesseraErrorCodes.ClientRedirectUriInvalid);
        AssertRefused(Public with { PostLogoutRedirectUris = [uri] }, "postLogoutRedirectUris", TesseraErrorCodes.ClientPostLogoutUriInvalid);
    }

    [Theory]
    [InlineData("https://app.example.org/callback")]
    [InlineData("https://app.example.org:8443/cb?tenant=a")]
    [InlineData("http://127.0.0.1:5173/callback")]
    [InlineData("http://[::1]:5173/callback")]
    [InlineData("http://localhost:5173/callback")]
    [InlineData("http://127.0.0.1/callback")]
    [InlineData("com.example.app:/oauth2redirect/example-provider")]
    [InlineData("com.example.app:/callback")]
    public void HttpsLoopbackHttpAndPrivateUseSchemesAreAccepted(string uri)
    {
        Assert.Empty(ClientRegistrationRules.Validate(Public with { RedirectUris = [uri], PostLogoutRedirectUris = [uri] }));
    }

    [Fact]
    public void TheCodeGrantNeedsARedirectUri()
    {
        AssertRefused(Public with { RedirectUris = [] }, "redirectUris", TesseraErrorCodes.ClientRedirectUriInvalid);
    }

    [Theory]
    [InlineData("https://app.example.org/")]
    [InlineData("https://app.example.org/path")]
    [InlineData("https://App.example.org")]
    [InlineData("https://app.example.org:443")]
    [InlineData("http://app.example.org")]
    [InlineData("ftp://app.example.org")]
    [InlineData("app.example.org")]
    [InlineData("https://app.example.org?x")]
    [InlineData("null")]
    [InlineData("*")]
    public void CorsOriginsMustBeExactlyWhatABrowserSends(string origin)
    {
        AssertRefused(Public with { CorsOrigins = [origin] }, "corsOrigins", TesseraErrorCodes.ClientCorsOriginInvalid);
    }

    [Theory]
    [InlineData("https://app.example.org")]
    [InlineData("https://app.example.org:8443")]
    [InlineData("http://127.0.0.1:5173")]
    [InlineData("http://localhost:3000")]
    [InlineData("http://[::1]:3000")]
    public void CanonicalOriginsAreAccepted(string origin)
    {
        Assert.Empty(ClientRegistrationRules.Validate(Public with { CorsOrigins = [origin] }));
    }

    [Theory]
    [InlineData("implicit")]
    [InlineData("password")]
    [InlineData("Authorization_Code")]
    public void UnknownGrantTypesAreRefused(string grantType)
    {
        AssertRefused(Confidential with { GrantTypes = [GrantTypes.AuthorizationCode, grantType] }, "grantTypes", TesseraErrorCodes.ClientGrantTypesInvalid);
    }

    [Fact]
    public void AnEmptyGrantTypeListIsRefused()
    {
        AssertRefused(Confidential with { GrantTypes = [] }, "grantTypes", TesseraErrorCodes.ClientGrantTypesInvalid);
    }

    [Fact]
    public void APublicClientCannotUseClientCredentials()
    {
        AssertRefused(Public with { GrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.ClientCredentials] }, "grantTypes", TesseraErrorCodes.ClientGrantTypesInvalid);
    }

    [Fact]
    public void RefreshTokensNeedTheCodeGrant()
    {
        AssertRefused(Confidential with { GrantTypes = [GrantTypes.ClientCredentials, GrantTypes.RefreshToken] }, "grantTypes", TesseraErrorCodes.ClientGrantTypesInvalid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("openid profile")]
    [InlineData("quote\"d")]
    [InlineData("back\\slash")]
    [InlineData("caf\u00e9")]
    public void EachScopeIsOneRfc6749Token(string scope)
    {
        AssertRefused(Public with { Scopes = ["openid", scope] }, "scopes", TesseraErrorCodes.ClientScopeInvalid);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    [InlineData("rs256")]
    [InlineData("PS512")]
    public void IdTokenAlgorithmsAreRs256OrEs256(string alg)
    {
        AssertRefused(Public with { IdTokenSignedResponseAlg = alg }, "idTokenSignedResponseAlg", TesseraErrorCodes.ClientIdTokenAlgInvalid);
    }

    [Fact]
    public void Es256IsAccepted()
    {
        Assert.Empty(ClientRegistrationRules.Validate(Public with { IdTokenSignedResponseAlg = "ES256" }));
    }

    [Fact]
    public void EveryBadFieldIsReportedAtOnce()
    {
        var request = new ClientRegistrationRequest { ClientId = "bad id", ClientType = "x", RedirectUris = ["http://evil.example"], CorsOrigins = ["https://a/"] };

        string[] fields = [.. ClientRegistrationRules.Validate(request).Select(p => p.Field)];

        Assert.Equal(["clientId", "clientType", "redirectUris", "corsOrigins"], fields);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("short")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa+")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab")]
    public void AGivenSecretMustBeShapedLikeAGeneratedOne(string? secret)
    {
        Assert.NotNull(ClientRegistrationRules.SecretProblem(secret));
    }

    [Fact]
    public void AGeneratedSecretPassesTheSecretRule()
    {
        Assert.Null(ClientRegistrationRules.SecretProblem(ClientSecrets.Generate().Secret));
    }

    private static void AssertRefused(ClientRegistrationRequest request, string field, string code)
    {
        IReadOnlyList<ClientRegistrationProblem> problems = ClientRegistrationRules.Validate(request);

        Assert.Contains(problems, p => p.Field == field && p.Code == code);
        Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
    }
}
