using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Tessera.Jose.Jwt;

namespace Tessera.AspNetCore.Tests.Bearer;

/// <summary>
/// The principal's claims for each JSON kind a token's claim may take (#13: the mapper reads the
/// payload bytes, no longer a parsed document): strings as they are (escapes undone), numbers by
/// their text, booleans, arrays one claim per element (nested values as their JSON), objects as
/// their JSON, null as nothing; <c>roles</c> and <c>scope</c> as strings only, <c>scope</c> split
/// on spaces when it is one string. The same on a cache miss and without a cache.
/// </summary>
public class BearerClaimsMappingTests : BearerTestBase
{
    private static readonly string[] Custom = ["scope", ClaimTypes.Role, "word", "int", "real", "flag", "nothing", "object", "list"];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EachJsonKindMapsAsTheClassDescribes(bool cached)
    {
        ResourceServer api = await StartApiAsync(o => o.TokenCache = cached ? new VerifiedTokenCache { CacheOnFirstValidation = true } : null);
        string token = Issuer.Token(d => d.AdditionalClaims = new JsonObject
        {
            ["scope"] = new JsonArray("a b", "c", 1),
            ["roles"] = new JsonArray("r1", 3, new JsonArray("r2"), "r3"),
            ["word"] = "café \"q\" \\ é",
            ["int"] = 42,
            ["real"] = 2.5,
            ["flag"] = false,
            ["nothing"] = null,
            ["object"] = new JsonObject { ["k"] = new JsonArray(1, new JsonObject { ["x"] = "y" }) },
            ["list"] = new JsonArray("x", 7, new JsonArray("nested", 2), new JsonObject { ["o"] = true }, null, 1.25),
        });

        Assert.Equal(
        [
            "scope|a b|" + ClaimValueTypes.String,
            "scope|c|" + ClaimValueTypes.String,
            ClaimTypes.Role + "|r1|" + ClaimValueTypes.String,
            ClaimTypes.Role + "|r3|" + ClaimValueTypes.String,
            "word|café \"q\" \\ é|" + ClaimValueTypes.String,
            "int|42|" + ClaimValueTypes.Integer64,
            "real|2.5|" + ClaimValueTypes.Double,
            "flag|false|" + ClaimValueTypes.Boolean,
            """object|{"k":[1,{"x":"y"}]}|JSON""",
            "list|x|" + ClaimValueTypes.String,
            "list|7|" + ClaimValueTypes.Integer64,
            """list|["nested",2]|JSON""",
            """list|{"o":true}|JSON""",
            "list|1.25|" + ClaimValueTypes.Double,
        ], await CustomClaimsAsync(api, token));
    }

    [Fact]
    public async Task OneScopeStringIsSplitOnSpacesAndOneRolesStringIsOneRole()
    {
        ResourceServer api = await StartApiAsync(o => o.TokenCache = new VerifiedTokenCache { CacheOnFirstValidation = true });
        string token = Issuer.Token(d => d.AdditionalClaims = new JsonObject { ["roles"] = "chief clerk", ["scope"] = "  a  b ", ["word"] = 5 });

        Assert.Equal(
        [
            ClaimTypes.Role + "|chief clerk|" + ClaimValueTypes.String,
            "scope|a|" + ClaimValueTypes.String,
            "scope|b|" + ClaimValueTypes.String,
            "word|5|" + ClaimValueTypes.Integer64,
        ], await CustomClaimsAsync(api, token));
    }

    [Theory]
    [InlineData("\"word\":\"\\ud800\"", true)] // a lone high half
    [InlineData("\"word\":\"a\\udc00b\"", false)] // a lone low half
    [InlineData("\"word\":[\"x\",\"\\ud83d\"]", true)] // in an array
    [InlineData("\"roles\":[\"\\ud83dx\"]", false)] // a role
    [InlineData("\"\\udfff\":1", true)] // a member name
    public async Task ASignedLoneSurrogateEscapeIsRefusedAsMalformedNotAServerError(string member, bool cached)
    {
        // JSON's grammar allows "\ud800" but it is no text (RFC 7493 §2.1); .NET's reader throws only
        // when the string is read, which the claims mapper does after the signature verified.
        ResourceServer api = await StartApiAsync(o => o.TokenCache = cached ? new VerifiedTokenCache { CacheOnFirstValidation = true } : null);

        HttpResponseMessage response = await GetClaimsAsync(api, WithRawMember(member));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASurrogatePairEscapeIsMappedAsItsCharacter()
    {
        ResourceServer api = await StartApiAsync(o => o.TokenCache = new VerifiedTokenCache { CacheOnFirstValidation = true });

        string[] claims = await CustomClaimsAsync(api, WithRawMember("\"word\":\"a\\ud83d\\ude00b\""));

        Assert.Equal("word|a\U0001F600b|" + ClaimValueTypes.String, Assert.Single(claims, c => c.StartsWith("word|", StringComparison.Ordinal)));
    }

    /// <summary>A token of the issuer's, signed by its key, whose payload also holds <paramref name="member"/> as written (text a JSON writer never produces).</summary>
    private string WithRawMember(string member)
    {
        // Without the issuer's own roles, so that a raw "roles" is not refused as a duplicate instead.
        string token = Issuer.Token(d => d.AdditionalClaims!.Remove("roles"));
        string[] parts = token.Split('.');
        string payload = System.Text.Encoding.UTF8.GetString(Jose.Encoding.StrictBase64Url.DecodeOrNull(parts[1])!);
        Assert.StartsWith("{", payload, StringComparison.Ordinal);
        byte[] edited = System.Text.Encoding.UTF8.GetBytes("{" + member + "," + payload[1..]);
        return Jose.Jws.JwsSigner.SignWithHeader(Jose.Encoding.StrictBase64Url.DecodeOrNull(parts[0])!, edited, Issuer.SigningKey);
    }

    private static async Task<HttpResponseMessage> GetClaimsAsync(ResourceServer api, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/claims");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await api.Client.SendAsync(request);
    }

    /// <summary>The principal's claims of the test's own types, in the principal's order, as type|value|value type.</summary>
    private static async Task<string[]> CustomClaimsAsync(ResourceServer api, string token)
    {
        using HttpResponseMessage response = await GetClaimsAsync(api, token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        string[][] claims = (await response.Content.ReadFromJsonAsync<string[][]>())!;
        return [.. claims.Where(c => Custom.Contains(c[0])).Select(c => string.Join('|', c))];
    }
}

/// <summary>The same tests behind <c>UseTesseraAuthentication()</c> (no handler per request): the claims mapping answers as behind <c>UseAuthentication()</c>.</summary>
public sealed class BearerClaimsMappingTestsFastPath : BearerClaimsMappingTests
{
    protected override bool TesseraAuthentication => true;
}
