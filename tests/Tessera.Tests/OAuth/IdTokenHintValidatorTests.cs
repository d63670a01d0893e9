using System.Text.Json.Nodes;
using Tessera.Jose;
using Tessera.Jose.Jwt;
using Tessera.Keys;
using Tessera.OAuth.IdTokens;
using Tessera.Tests.Tokens;
using Tessera.Tokens;

namespace Tessera.Tests.OAuth;

public class IdTokenHintValidatorTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AValidHintNamesTheUserTheSessionAndTheClient()
    {
        using var harness = new IdTokenHarness(start: Start);
        string token = await harness.IssueAsync(harness.Request("RS256"));

        Outcome<IdTokenHint> hint = await harness.ValidateHintAsync(token);

        Assert.True(hint.Succeeded, hint.Error?.Message);
        Assert.Equal(("user-7", "session-handle-1", "shop-app"), (hint.Value.Subject, hint.Value.SessionId, hint.Value.ClientId));
        Assert.Equal(Start, hint.Value.IssuedAt);
    }

    [Fact]
    public async Task AnExpiredHintIsAccepted()
    {
        // RP-Initiated Logout 1.0 §2: the user logs out long after the ID token's exp.
        using var harness = new IdTokenHarness(start: Start);
        string token = await harness.IssueAsync(harness.Request("ES256"));
        harness.Time.Advance(TimeSpan.FromDays(3));

        Outcome<IdTokenHint> hint = await harness.ValidateHintAsync(token);

        Assert.True(hint.Succeeded, hint.Error?.Message);
        Assert.True(hint.Value.ExpiresAt < harness.Time.GetUtcNow());
    }

    [Fact]
    public async Task ATamperedHintIsRefused()
    {
        using var harness = new IdTokenHarness(start: Start);
        string token = await harness.IssueAsync(harness.Request("RS256"));
        string[] parts = token.Split('.');
        // The same header and signature over claims naming another user.
        JsonObject claims = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        claims["sub"] = "mallory";
        string forged = parts[0] + "." + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(claims.ToJsonString())) + "." + parts[2];

        Outcome<IdTokenHint> hint = await harness.ValidateHintAsync(forged);

        AssertRefused(hint, JoseErrorCodes.SignatureInvalid);
    }

    [Fact]
    public async Task AHintOfAnotherIssuerIsRefused()
    {
        using var harness = new IdTokenHarness(start: Start);
        string token = await harness.IssueAsync(harness.Request("RS256") with { Issuer = "https://elsewhere.example" });

        AssertRefused(await harness.ValidateHintAsync(token), JoseErrorCodes.IssuerInvalid);
    }

    [Fact]
    public async Task AHintIssuedInTheFutureIsRefused()
    {
        using var harness = new IdTokenHarness(start: Start);
        await harness.Keys.GetAsync(CancellationToken.None);
        // Signed with the same ring's key by an instance whose clock is ten minutes ahead.
        using var ahead = new IdTokenHarness(keyStore: harness.KeyStore, start: Start.AddMinutes(10));
        string token = await ahead.IssueAsync(ahead.Request("RS256"));

        AssertRefused(await harness.ValidateHintAsync(token), JoseErrorCodes.NotYetValid);
    }

    [Fact]
    public async Task AnAccessTokenIsNotAnIdTokenHint()
    {
        // The ES256 key signs both kinds; typ at+jwt (RFC 9068 §2.1) tells them apart.
        using var tokens = new TokenHarness(tokenOptions: new TesseraTokenOptions { IdTokenAlgorithms = ["ES256"] });
        var hints = new IdTokenHintValidator(tokens.Keys, tokens.TokenOptions, tokens.Time);
        IssuedTokens pair = await tokens.SignInAsync();

        AssertRefused(await hints.ValidateAsync(pair.AccessToken, TokenHarness.Issuer, CancellationToken.None), JoseErrorCodes.TypeInvalid);
    }

    [Fact]
    public async Task AHintSignedByAnotherServersKeyIsRefused()
    {
        using var ours = new IdTokenHarness(start: Start);
        using var theirs = new IdTokenHarness(start: Start);
        string token = await theirs.IssueAsync(theirs.Request("RS256"));

        AssertRefused(await ours.ValidateHintAsync(token), JoseErrorCodes.KeyNotFound);
    }

    [Fact]
    public async Task AHintWithAnAlgorithmThatIsNotAnIdTokenAlgorithmIsRefused()
    {
        using var harness = new IdTokenHarness(new TesseraTokenOptions { Algorithm = "ES384", IdTokenAlgorithms = ["RS256"] }, start: Start);
        KeyRingSnapshot keys = await harness.Keys.GetAsync(CancellationToken.None);
        // A JWT with every claim right, signed by the ring's access-token key.
        string token = JwtSigner.Sign(new JwtDescriptor
        {
            Issuer = IdTokenHarness.Issuer,
            Subject = "user-7",
            Audiences = ["shop-app"],
            IssuedAt = Start,
            ExpiresAt = Start.AddMinutes(5),
        }, keys.SigningKey, "ES384");

        AssertRefused(await harness.ValidateHintAsync(token), JoseErrorCodes.AlgorithmNotAllowed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not.a.jwt")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task WhatIsNotASignedJwtIsRefused(string? hint)
    {
        using var harness = new IdTokenHarness(start: Start);

        Outcome<IdTokenHint> outcome = await harness.ValidateHintAsync(hint);

        Assert.Equal(TesseraErrorCodes.IdTokenHintInvalid, outcome.Error?.Code);
    }

    private static void AssertRefused(Outcome<IdTokenHint> hint, string reason)
    {
        Assert.False(hint.Succeeded);
        Assert.Equal((TesseraErrorCodes.IdTokenHintInvalid, reason), (hint.Error.Code, hint.Error.Reason));
    }
}
