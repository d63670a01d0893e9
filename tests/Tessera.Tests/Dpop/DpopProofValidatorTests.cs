using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Tessera.Dpop;
using Tessera.InMemory;
using Tessera.Jose.Keys;

namespace Tessera.Tests.Dpop;

/// <summary>Every check of RFC 9449 §4.3, one test each: a valid proof passes, and each defect is refused with its code.</summary>
public sealed class DpopProofValidatorTests
{
    private const string TokenUri = "https://id.example.test/oauth2/token";

    private static readonly Jwk Es256 = Jwk.Generate("ES256");
    private static readonly Jwk OtherEs256 = Jwk.Generate("ES256");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryThrottleStore _store;

    public DpopProofValidatorTests() => _store = new InMemoryThrottleStore(_time);

    private DateTimeOffset Now => _time.GetUtcNow();

    private DpopProofValidator Validator(TesseraDpopOptions? options = null, IDpopNonces? nonces = null) =>
        new(options ?? new TesseraDpopOptions(), new DpopReplayCache(_store), nonces, _time);

    private DpopProofs Proofs(Jwk? key = null) => new(key ?? Es256, Now);

    private ValueTask<Outcome<DpopProof>> ValidateAsync(string proof, DpopProofValidator? validator = null, string method = "POST", string uri = TokenUri, string? accessToken = null) =>
        (validator ?? Validator()).ValidateAsync(new DpopProofRequest(proof, method, new Uri(uri), accessToken), CancellationToken.None);

    private static void AssertRefused(Outcome<DpopProof> outcome, string code = DpopErrorCodes.InvalidProof)
    {
        Assert.False(outcome.Succeeded);
        Assert.Equal(code, outcome.Error.Code);
    }

    [Fact]
    public async Task AValidEs256ProofPassesWithItsKeyThumbprintAndClaims()
    {
        DpopProofs proofs = Proofs();
        Outcome<DpopProof> outcome = await ValidateAsync(proofs.Sign());

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        Assert.Equal(Es256.Thumbprint, outcome.Value.KeyThumbprint);
        Assert.Equal(Es256.Thumbprint, outcome.Value.Key.Thumbprint);
        Assert.False(outcome.Value.Key.HasPrivateKey);
        Assert.Equal((string)proofs.Claims["jti"]!, outcome.Value.JwtId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Now.ToUnixTimeSeconds()), outcome.Value.IssuedAt);
        Assert.Null(outcome.Value.Nonce);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS256")]
    [InlineData("ES384")]
    [InlineData("EdDSA")]
    public async Task RsaAndOtherCurvesAndEdDsaProofsPass(string algorithm)
    {
        Jwk key = Jwk.Generate(algorithm);
        Outcome<DpopProof> outcome = await ValidateAsync(Proofs(key).Sign());

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        Assert.Equal(key.Thumbprint, outcome.Value.KeyThumbprint);
    }

    [Fact]
    public async Task AnAlgorithmOutsideTheConfiguredListIsRefused()
    {
        var options = new TesseraDpopOptions();
        options.AllowedAlgorithms.Remove("RS256");

        AssertRefused(await ValidateAsync(Proofs(Jwk.Generate("RS256")).Sign(), Validator(options)));
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("at+jwt")]
    [InlineData(null)]
    public async Task AProofWhoseTypIsNotDpopJwtIsRefused(string? typ)
    {
        DpopProofs proofs = Proofs();
        if (typ is null)
        {
            proofs.Header.Remove("typ");
        }
        else
        {
            proofs.Header["typ"] = typ;
        }

        AssertRefused(await ValidateAsync(proofs.Sign()));
    }

    [Fact]
    public async Task TheTypIsAMediaTypeComparedWithoutCaseOrApplicationPrefix()
    {
        DpopProofs proofs = Proofs();
        proofs.Header["typ"] = "application/DPoP+JWT";

        Outcome<DpopProof> outcome = await ValidateAsync(proofs.Sign());

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
    }

    [Fact]
    public async Task AnUnsignedProofWithAlgNoneIsRefused()
    {
        DpopProofs proofs = Proofs();
        proofs.Header["alg"] = "none";
        string proof = Jose.Encoding.StrictBase64Url.Encode(System.Text.Encoding.UTF8.GetBytes(proofs.Header.ToJsonString())) + "."
            + Jose.Encoding.StrictBase64Url.Encode(System.Text.Encoding.UTF8.GetBytes(proofs.Claims.ToJsonString())) + ".";

        AssertRefused(await ValidateAsync(proof));
    }

    [Fact]
    public async Task AMacProofIsRefusedEvenWhenItsHeaderCarriesAPublicKey()
    {
        // RFC 9449 §4.3 step 5: a symmetric algorithm proves nothing about a key pair.
        Jwk secret = Jwk.Generate("HS256");
        DpopProofs proofs = Proofs();
        proofs.Header["alg"] = "HS256";
        string proof = DpopProofs.Sign(proofs.Header.ToJsonString(), proofs.Claims.ToJsonString(), secret);

        AssertRefused(await ValidateAsync(proof));
    }

    [Fact]
    public async Task AMacProofWithASymmetricJwkIsRefused()
    {
        Jwk secret = Jwk.Generate("HS256");
        var options = new TesseraDpopOptions();
        DpopProofs proofs = Proofs();
        proofs.Header["alg"] = "HS256";
        proofs.Header["jwk"] = JsonNode.Parse(secret.ToJson(includePrivate: true));
        string proof = DpopProofs.Sign(proofs.Header.ToJsonString(), proofs.Claims.ToJsonString(), secret);

        AssertRefused(await ValidateAsync(proof, Validator(options)));
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    [InlineData("EdDSA")]
    public async Task AJwkWithPrivateMembersIsRefused(string algorithm)
    {
        // RFC 9449 §4.3 step 7: the jwk must not contain a private key.
        Jwk key = Jwk.Generate(algorithm);
        DpopProofs proofs = Proofs(key);
        proofs.Header["jwk"] = JsonNode.Parse(key.ToJson(includePrivate: true));

        AssertRefused(await ValidateAsync(proofs.Sign()));
    }

    [Fact]
    public async Task AProofWithoutJwkIsRefused()
    {
        DpopProofs proofs = Proofs();
        proofs.Header.Remove("jwk");
        proofs.Header["kid"] = Es256.EffectiveKeyId;

        AssertRefused(await ValidateAsync(proofs.Sign()));
    }

    [Fact]
    public async Task AJwkThatIsNotAnObjectOrNotAKeyIsRefused()
    {
        DpopProofs proofs = Proofs();
        proofs.Header["jwk"] = "not a key";
        AssertRefused(await ValidateAsync(proofs.Sign()));

        proofs.Header["jwk"] = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256" };
        AssertRefused(await ValidateAsync(proofs.Sign()));
    }

    [Fact]
    public async Task AJwkWhosePointIsNotOnTheCurveIsRefused()
    {
        DpopProofs proofs = Proofs();
        var jwk = proofs.Header["jwk"]!.AsObject();
        jwk["y"] = jwk["x"]!.GetValue<string>();

        AssertRefused(await ValidateAsync(proofs.Sign()));
    }

    [Fact]
    public async Task AProofSignedByAnotherKeyThanItsJwkIsRefused()
    {
        DpopProofs proofs = Proofs();
        string proof = DpopProofs.Sign(proofs.Header.ToJsonString(), proofs.Claims.ToJsonString(), OtherEs256);

        AssertRefused(await ValidateAsync(proof));
    }

    [Fact]
    public async Task AProofWithATamperedPayloadIsRefused()
    {
        string proof = Proofs().Sign();
        string[] parts = proof.Split('.');
        var claims = JsonNode.Parse(Jose.Encoding.StrictBase64Url.DecodeOrNull(parts[1])!)!.AsObject();
        claims["htu"] = "https://id.example.test/other";
        string tampered = parts[0] + "." + Jose.Encoding.StrictBase64Url.Encode(System.Text.Encoding.UTF8.GetBytes(claims.ToJsonString())) + "." + parts[2];

        AssertRefused(await ValidateAsync(tampered, uri: "https://id.example.test/other"));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("post")]
    public async Task AProofForAnotherMethodIsRefused(string htm)
    {
        DpopProofs proofs = Proofs();
        proofs.Claims["htm"] = htm;

        AssertRefused(await ValidateAsync(proofs.Sign()));
    }

    [Theory]
    [InlineData("https://evil.example.test/oauth2/token")]
    [InlineData("https://id.example.test/oauth2/revoke")]
    [InlineData("https://id.example.test/oauth2/token/")]
    [InlineData("https://id.example.test:8443/oauth2/token")]
    [InlineData("http://id.example.test/oauth2/token")]
    [InlineData("https://user@id.example.test/oauth2/token")]
    [InlineData("/oauth2/token")]
    [InlineData("urn:example:token")]
    public async Task AProofForAnotherUriIsRefused(string htu)
    {
        DpopProofs proofs = Proofs();
        proofs.Claims["htu"] = htu;

        AssertRefused(await ValidateAsync(proofs.Sign()));
    }

    [Theory]
    [InlineData("https://id.example.test/oauth2/token?x=1")]
    [InlineData("https://id.example.test/oauth2/token#frag")]
    [InlineData("https://ID.Example.TEST/oauth2/token")]
    [InlineData("HTTPS://id.example.test/oauth2/token")]
    [InlineData("https://id.example.test:443/oauth2/token")]
    public async Task TheUriIsComparedWithoutQueryOrFragmentAfterNormalization(string htu)
    {
        // RFC 9449 §4.3 step 9 and §4.2: query and fragment are ignored; RFC 3986 §6.2.2–6.2.3 normalization.
        DpopProofs proofs = Proofs();
        proofs.Claims["htu"] = htu;

        Outcome<DpopProof> outcome = await ValidateAsync(proofs.Sign(), uri: TokenUri + "?grant_type=refresh_token");

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
    }

    [Fact]
    public async Task ARequestOnANonDefaultPortMatchesOnlyThatPort()
    {
        DpopProofs proofs = Proofs();
        proofs.Claims["htu"] = "http://127.0.0.1:5123/oauth2/token";
        Assert.True((await ValidateAsync(proofs.Sign(), uri: "http://127.0.0.1:5123/oauth2/token")).Succeeded);

        proofs.Claims["jti"] = "another";
        AssertRefused(await ValidateAsync(proofs.Sign(), uri: "http://127.0.0.1:5124/oauth2/token"));
    }

    [Fact]
    public async Task AProofOlderThanMaxAgeIsRefusedAndOneJustInsideIsAccepted()
    {
        var options = new TesseraDpopOptions { MaxAge = TimeSpan.FromMinutes(5) };
        DpopProofs proofs = Proofs();
        proofs.Claims["iat"] = (Now - TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1)).ToUnixTimeSeconds();
        AssertRefused(await ValidateAsync(proofs.Sign(), Validator(options)));

        proofs.Claims["iat"] = (Now - TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1)).ToUnixTimeSeconds();
        Assert.True((await ValidateAsync(proofs.Sign(), Validator(options))).Succeeded);
    }

    [Fact]
    public async Task AProofFromTooFarInTheFutureIsRefusedAndOneWithinTheSkewIsAccepted()
    {
        var options = new TesseraDpopOptions { ClockSkew = TimeSpan.FromSeconds(60) };
        DpopProofs proofs = Proofs();
        proofs.Claims["iat"] = (Now + TimeSpan.FromSeconds(61)).ToUnixTimeSeconds();
        AssertRefused(await ValidateAsync(proofs.Sign(), Validator(options)));

        proofs.Claims["iat"] = (Now + TimeSpan.FromSeconds(59)).ToUnixTimeSeconds();
        Assert.True((await ValidateAsync(proofs.Sign(), Validator(options))).Succeeded);
    }

    [Theory]
    [InlineData("\"1893456000\"")]
    [InlineData("-1")]
    [InlineData("1e300")]
    [InlineData("null")]
    public async Task AnIatThatIsNotAUsableNumberIsRefused(string iat)
    {
        DpopProofs proofs = Proofs();
        proofs.Claims["iat"] = JsonNode.Parse(iat);

        AssertRefused(await ValidateAsync(proofs.Sign()));
    }

    [Fact]
    public async Task AProofWithoutIatIsRefused()
    {
        DpopProofs proofs = Proofs();
        proofs.Claims.Remove("iat");

        AssertRefused(await ValidateAsync(proofs.Sign()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(42)]
    public async Task AProofWithoutAStringJtiIsRefused(object? jti)
    {
        DpopProofs proofs = Proofs();
        proofs.Claims.Remove("jti");
        if (jti is not null)
        {
            proofs.Claims["jti"] = JsonValue.Create(jti);
        }

        AssertRefused(await ValidateAsync(proofs.Sign()));
    }

    [Theory]
    [InlineData(true, "\"alg\":\"ES256\"", "\"alg\":\"\\ud800\"")]
    [InlineData(true, "\"typ\":\"dpop+jwt\"", "\"typ\":\"dpop+jwt\\udc00\"")]
    [InlineData(true, "\"kty\":\"EC\"", "\"kty\":\"\\ud83d\"")]
    [InlineData(true, "\"crv\":\"P-256\"", "\"crv\":\"P-256\\ud800\"")]
    [InlineData(true, "{\"typ\"", "{\"\\udfff\":1,\"typ\"")]
    [InlineData(false, "\"jti\":\"", "\"jti\":\"\\ud800")]
    [InlineData(false, "\"htm\":\"POST\"", "\"htm\":\"POST\\ud800\"")]
    [InlineData(false, "\"htu\":\"", "\"htu\":\"\\udbff")]
    [InlineData(false, "{\"jti\"", "{\"nonce\":\"\\ud800\",\"jti\"")]
    [InlineData(false, "{\"jti\"", "{\"x\":[\"\\udfff\"],\"jti\"")]
    [InlineData(false, "{\"jti\"", "{\"\\ud83d\":true,\"jti\"")]
    public async Task ALoneSurrogateEscapeAnywhereInTheProofIsRefusedNotThrown(bool inHeader, string find, string replaceWith)
    {
        // Anyone can send a proof: before its signature is checked the header is read, and the
        // claims belong to the sender's own key. JSON allows the escape "\ud800", but it is no text
        // (RFC 7493 §2.1), and .NET's reader throws when such a string is read.
        (string header, string claims, ECDsa key) = RawProof();
        string proof = inHeader
            ? DpopProofs.SignRawEs256(key, Replaced(header, find, replaceWith), claims)
            : DpopProofs.SignRawEs256(key, header, Replaced(claims, find, replaceWith));

        AssertRefused(await ValidateAsync(proof));
    }

    [Fact]
    public async Task ASurrogatePairEscapeIsTextAndAccepted()
    {
        (string header, string claims, ECDsa key) = RawProof();
        string proof = DpopProofs.SignRawEs256(key, header, Replaced(claims, "\"jti\":\"", "\"jti\":\"\\ud83d\\ude00"));

        Outcome<DpopProof> outcome = await ValidateAsync(proof);

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        Assert.StartsWith("\U0001F600", outcome.Value.JwtId, StringComparison.Ordinal);
    }

    /// <summary>A valid proof's header and claims as JSON text, and the raw P-256 key that signs them.</summary>
    private (string Header, string Claims, ECDsa Key) RawProof()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string header = $"{{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{DpopProofs.PublicJwk(key)}}}";
        string claims = $"{{\"jti\":\"{Guid.NewGuid():N}\",\"htm\":\"POST\",\"htu\":\"{TokenUri}\",\"iat\":{Now.ToUnixTimeSeconds()}}}";
        return (header, claims, key);
    }

    private static string Replaced(string json, string find, string replaceWith)
    {
        Assert.Contains(find, json, StringComparison.Ordinal);
        return json.Replace(find, replaceWith, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProofIsAcceptedOnceThenRefusedAsAReplay()
    {
        DpopProofValidator validator = Validator();
        string proof = Proofs().Sign();

        Assert.True((await ValidateAsync(proof, validator)).Succeeded);
        AssertRefused(await ValidateAsync(proof, validator));

        // Still refused later in its window, and by another validator over the same store (another instance of a cluster sharing Redis).
        _time.Advance(TimeSpan.FromMinutes(2));
        AssertRefused(await ValidateAsync(proof, Validator()));
    }

    [Fact]
    public async Task VerifyGivesAnUnspentProofThatOnlyUseAsyncTurnsIntoACheckedOneOnce()
    {
        // Verify skips the replay check: its result is not a DpopProof, so it cannot be taken for one
        // (no public method but ValidateAsync and UseAsync hands out a DpopProof, and both spend the jti).
        DpopProofValidator validator = Validator();
        DpopProofs proofs = Proofs();
        string proof = proofs.Sign();
        var request = new DpopProofRequest(proof, "POST", new Uri(TokenUri), null);

        Outcome<UnspentDpopProof> unspent = validator.Verify(request);
        Outcome<UnspentDpopProof> again = validator.Verify(request);

        Assert.True(unspent.Succeeded, unspent.Error?.Message);
        Assert.True(again.Succeeded, "verifying records nothing");
        Assert.Equal(Es256.Thumbprint, unspent.Value.KeyThumbprint);
        Outcome<DpopProof> used = await validator.UseAsync(unspent.Value, CancellationToken.None);
        Assert.True(used.Succeeded, used.Error?.Message);
        Assert.Equal((string)proofs.Claims["jti"]!, used.Value.JwtId);
        AssertRefused(await validator.UseAsync(again.Value, CancellationToken.None));
        AssertRefused(await ValidateAsync(proof, validator));
        Assert.All(
            typeof(DpopProofValidator).GetMethods().Where(m => m.ReturnType == typeof(ValueTask<Outcome<DpopProof>>) || m.ReturnType == typeof(Outcome<DpopProof>)),
            m => Assert.Contains(m.Name, new[] { nameof(DpopProofValidator.ValidateAsync), nameof(DpopProofValidator.UseAsync) }));
    }

    [Fact]
    public async Task TheSameJtiFromAnotherKeyIsNotAReplay()
    {
        DpopProofs first = Proofs();
        DpopProofs second = Proofs(OtherEs256);
        second.Claims["jti"] = first.Claims["jti"]!.GetValue<string>();

        Assert.True((await ValidateAsync(first.Sign())).Succeeded);
        Outcome<DpopProof> outcome = await ValidateAsync(second.Sign());
        Assert.True(outcome.Succeeded, outcome.Error?.Message);
    }

    [Fact]
    public async Task AReplayAfterTheWindowIsRefusedAsTooOld()
    {
        string proof = Proofs().Sign();
        Assert.True((await ValidateAsync(proof)).Succeeded);

        _time.Advance(TimeSpan.FromMinutes(7));

        AssertRefused(await ValidateAsync(proof));
    }

    [Fact]
    public async Task AProofThatFailsAnotherCheckDoesNotSpendItsJti()
    {
        DpopProofs proofs = Proofs();
        string proof = proofs.Sign();

        AssertRefused(await ValidateAsync(proof, method: "GET"));

        Assert.True((await ValidateAsync(proof)).Succeeded);
    }

    [Fact]
    public async Task WithAnAccessTokenTheProofMustCarryItsHash()
    {
        const string accessToken = "eyJhbGciOiJFUzI1NiJ9.e30.sig";
        DpopProofs proofs = Proofs();

        AssertRefused(await ValidateAsync(proofs.Sign(), method: "POST", accessToken: accessToken));

        proofs.Claims["ath"] = DpopProofValidator.AccessTokenHash("another-token");
        AssertRefused(await ValidateAsync(proofs.Sign(), accessToken: accessToken));

        proofs.Claims["ath"] = DpopProofValidator.AccessTokenHash(accessToken);
        Outcome<DpopProof> outcome = await ValidateAsync(proofs.Sign(), accessToken: accessToken);
        Assert.True(outcome.Succeeded, outcome.Error?.Message);
    }

    [Fact]
    public void TheAccessTokenHashIsBase64UrlOfSha256OfTheToken()
    {
        // RFC 9449 §4.2 (ath) — the value computed independently here.
        byte[] expected = SHA256.HashData("abc.def.ghi"u8);
        Assert.Equal(Convert.ToBase64String(expected).TrimEnd('=').Replace('+', '-').Replace('/', '_'), DpopProofValidator.AccessTokenHash("abc.def.ghi"));
    }

    [Fact]
    public async Task WhenNoncesAreRequiredAProofWithoutOneGetsUseDpopNonce()
    {
        var nonces = new CountedNonces();
        DpopProofValidator validator = Validator(new TesseraDpopOptions { RequireNonce = true }, nonces);
        DpopProofs proofs = Proofs();

        AssertRefused(await ValidateAsync(proofs.Sign(), validator), DpopErrorCodes.UseNonce);

        proofs.Claims["nonce"] = nonces.Current();
        Outcome<DpopProof> outcome = await ValidateAsync(proofs.Sign(), validator);
        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        Assert.Equal(nonces.Current(), outcome.Value.Nonce);
    }

    [Fact]
    public async Task AStaleOrForeignNonceGetsUseDpopNonce()
    {
        var nonces = new CountedNonces();
        DpopProofValidator validator = Validator(new TesseraDpopOptions { RequireNonce = true }, nonces);
        DpopProofs proofs = Proofs();
        proofs.Claims["nonce"] = nonces.Current();
        nonces.Rotate();

        AssertRefused(await ValidateAsync(proofs.Sign(), validator), DpopErrorCodes.UseNonce);

        proofs.Claims["nonce"] = "made-up";
        AssertRefused(await ValidateAsync(proofs.Sign(), validator), DpopErrorCodes.UseNonce);
    }

    [Fact]
    public async Task WithoutANonceSourceANonceInTheProofIsNotTheServersToCheck()
    {
        // RFC 9449 §4.3 step 10 checks the nonce only "if the server provided a nonce value": a
        // deployment that issues none would otherwise answer use_dpop_nonce with no nonce to give,
        // and the client could never succeed.
        DpopProofs proofs = Proofs();
        proofs.Claims["nonce"] = "from-another-server";

        Outcome<DpopProof> outcome = await ValidateAsync(proofs.Sign(), Validator(nonces: null));

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
    }

    [Fact]
    public async Task ANonceIsCheckedWhenPresentEvenIfNotRequired()
    {
        var nonces = new CountedNonces();
        DpopProofs proofs = Proofs();
        proofs.Claims["nonce"] = "made-up";

        AssertRefused(await ValidateAsync(proofs.Sign(), Validator(nonces: nonces)), DpopErrorCodes.UseNonce);

        proofs.Claims["nonce"] = nonces.Current();
        Assert.True((await ValidateAsync(proofs.Sign(), Validator(nonces: nonces))).Succeeded);
    }

    [Fact]
    public async Task ANonceThatIsNotAStringIsRefused()
    {
        var nonces = new CountedNonces();
        DpopProofs proofs = Proofs();
        proofs.Claims["nonce"] = 7;

        AssertRefused(await ValidateAsync(proofs.Sign(), Validator(new TesseraDpopOptions { RequireNonce = true }, nonces)));
    }

    [Fact]
    public async Task WhenNoncesAreRequiredAnOldIatGetsUseDpopNonce()
    {
        // RFC 9449 §8: with server nonces the nonce, not the client's clock, proves freshness; the client retries with it.
        var nonces = new CountedNonces();
        DpopProofs proofs = Proofs();
        proofs.Claims["iat"] = (Now - TimeSpan.FromHours(1)).ToUnixTimeSeconds();
        proofs.Claims["nonce"] = nonces.Current();

        AssertRefused(await ValidateAsync(proofs.Sign(), Validator(new TesseraDpopOptions { RequireNonce = true }, nonces)), DpopErrorCodes.UseNonce);
    }

    [Fact]
    public async Task DuplicateMembersInTheClaimsAreRefused()
    {
        DpopProofs proofs = Proofs();
        string claims = proofs.Claims.ToJsonString();
        // Both jti values would pass on their own: only the duplicate is wrong (parsers disagree on which one counts).
        string duplicated = claims[..^1] + ",\"jti\":\"a-second-jti\"}";

        AssertRefused(await ValidateAsync(DpopProofs.Sign(proofs.Header.ToJsonString(), duplicated, Es256)));
        Assert.True((await ValidateAsync(DpopProofs.Sign(proofs.Header.ToJsonString(), claims, Es256))).Succeeded);
    }

    [Fact]
    public async Task DuplicateMembersInTheHeaderAreRefused()
    {
        using ECDsa raw = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string jwk = DpopProofs.PublicJwk(raw);
        string claims = Proofs().Claims.ToJsonString();

        // The same header without the duplicate passes, so the refusal below is the duplicate's.
        string header = $"{{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{jwk}}}";
        Assert.True((await ValidateAsync(DpopProofs.SignRawEs256(raw, header, claims))).Succeeded);

        string duplicatedTyp = $"{{\"typ\":\"JWT\",\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{jwk}}}";
        AssertRefused(await ValidateAsync(DpopProofs.SignRawEs256(raw, duplicatedTyp, Proofs().Claims.ToJsonString())));

        string duplicatedJwk = $"{{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{DpopProofs.PublicJwk(ECDsa.Create(ECCurve.NamedCurves.nistP256))},\"jwk\":{jwk}}}";
        AssertRefused(await ValidateAsync(DpopProofs.SignRawEs256(raw, duplicatedJwk, Proofs().Claims.ToJsonString())));

        string duplicatedInJwk = $"{{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{jwk[..^1]},\"kty\":\"EC\"}}}}";
        AssertRefused(await ValidateAsync(DpopProofs.SignRawEs256(raw, duplicatedInJwk, Proofs().Claims.ToJsonString())));
    }

    [Fact]
    public async Task AnOversizeProofIsRefused()
    {
        var options = new TesseraDpopOptions { MaxProofLength = 1024 };
        DpopProofs proofs = Proofs();
        Assert.True((await ValidateAsync(proofs.Sign(), Validator(options))).Succeeded);

        proofs.Claims["jti"] = "padded";
        proofs.Claims["pad"] = new string('x', 1024);
        string proof = proofs.Sign();
        Assert.True(proof.Length > 1024);

        AssertRefused(await ValidateAsync(proof, Validator(options)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b.c")]
    [InlineData("....")]
    [InlineData(".e30.")]
    [InlineData("e30.e30.")]
    [InlineData("W10.e30.AAAA")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30.AAAA")]
    [InlineData("eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7fX0.e30.AAAA")]
    [InlineData("not base64!.e30.AAAA")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30.AAAA.e30.AAAA")]
    public async Task GarbageIsRefusedAsInvalidProofNeverThrown(string proof)
    {
        AssertRefused(await ValidateAsync(proof));
    }

    [Fact]
    public async Task ClaimsThatAreNotAnObjectAreRefused()
    {
        AssertRefused(await ValidateAsync(DpopProofs.Sign(Proofs().Header.ToJsonString(), "[1,2]", Es256)));
        AssertRefused(await ValidateAsync(DpopProofs.Sign(Proofs().Header.ToJsonString(), "not json", Es256)));
    }

    [Fact]
    public void OptionsThatCannotWorkAreRefusedAtConstruction()
    {
        var options = new TesseraDpopOptions();
        options.AllowedAlgorithms.Add("HS256");
        Assert.Throws<ArgumentException>(() => Validator(options));
        Assert.Throws<ArgumentException>(() => Validator(new TesseraDpopOptions { MaxAge = TimeSpan.Zero }));
    }

    /// <summary>A nonce source whose current nonce changes only when told to: the validator's contract with <see cref="IDpopNonces"/>, without Data Protection (tested on its own beside the ASP.NET Core host).</summary>
    private sealed class CountedNonces : IDpopNonces
    {
        private int _generation = 1;

        public string Current() => "nonce-" + _generation;

        public bool IsValid(string nonce) => nonce == Current();

        public void Rotate() => _generation++;
    }
}
