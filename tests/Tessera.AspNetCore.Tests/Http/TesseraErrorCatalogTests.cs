using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.Http;
using Tessera.Jose;

namespace Tessera.AspNetCore.Tests.Http;

public sealed class TesseraErrorCatalogTests
{
    /// <summary>Every class that defines stable codes answered over HTTP.</summary>
    private static readonly Type[] Catalogs =
        [typeof(TesseraErrorCodes), typeof(JoseErrorCodes), typeof(HttpErrorCodes), typeof(OAuthErrorCodes), typeof(TesseraBearerErrorCodes)];

    // RFC 6749 §5.2 (token endpoint errors) and RFC 6750 §3.1 (bearer challenge errors).
    // RFC 7009 §2.2.1 adds unsupported_token_type for the revocation endpoint.
    private static readonly string[] OAuthErrors = ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope", "unsupported_token_type"];
    private static readonly string[] ChallengeErrors = ["invalid_request", "invalid_token", "insufficient_scope"];

    public static TheoryData<string, string> Codes()
    {
        var data = new TheoryData<string, string>();
        foreach ((FieldInfo field, string code) in Definitions(aliases: false))
        {
            data.Add($"{field.DeclaringType!.Name}.{field.Name}", code);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void EveryCodeHasAStatusAndAShape(string definedAs, string code)
    {
        TesseraErrorEntry? entry = TesseraErrorCatalog.Find(code);

        Assert.True(entry is not null, $"{definedAs} ({code}) has no entry in TesseraErrorCatalog");
        Assert.InRange(entry.Status, 400, 599);
        if (entry.OAuthError is { } oauth)
        {
            Assert.Contains(oauth, OAuthErrors);
            Assert.Equal(oauth == "invalid_client" ? 401 : 400, entry.OAuthStatus);
        }

        if (entry.ChallengeError is { } challenge)
        {
            Assert.Contains(challenge, ChallengeErrors);
            // A challenge error is sent only with a 401/403 (RFC 6750 §3.1), never with a 503 the client should retry.
            Assert.False(entry.IsServerSide);
        }
    }

    [Fact]
    public void NoCodeIsDefinedTwice()
    {
        string[] twice = [.. Definitions(aliases: false).GroupBy(d => d.Code).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(d => $"{d.Field.DeclaringType!.Name}.{d.Field.Name}"))}")];

        Assert.Empty(twice);
    }

    [Fact]
    public void EveryAliasPointsAtTheOneDefinition()
    {
        HashSet<string> defined = [.. Definitions(aliases: false).Select(d => d.Code)];
        (FieldInfo Field, string Code)[] aliases = [.. Definitions(aliases: true).Where(d => IsAlias(d.Field))];

        Assert.NotEmpty(aliases); // TesseraBearerErrorCodes.InvalidToken and .SessionRevoked
        Assert.All(aliases, alias => Assert.Contains(alias.Code, defined));
    }

    [Fact]
    public void EveryEntryIsADefinedCode()
    {
        HashSet<string> defined = [.. Definitions(aliases: false).Select(d => d.Code)];

        Assert.All(TesseraErrorCatalog.All, entry => Assert.Contains(entry.Code, defined));
    }

    [Theory]
    [InlineData(TesseraErrorCodes.SessionRevoked, 401, "invalid_token")]
    [InlineData(TesseraErrorCodes.SessionExpired, 401, "invalid_token")]
    [InlineData(JoseErrorCodes.Expired, 401, "invalid_token")]
    [InlineData(JoseErrorCodes.SignatureInvalid, 401, "invalid_token")]
    [InlineData(TesseraBearerErrorCodes.InsufficientScope, 403, "insufficient_scope")]
    [InlineData(TesseraErrorCodes.Unauthenticated, 401, null)]
    [InlineData(TesseraErrorCodes.StoreUnavailable, 503, null)]
    [InlineData(TesseraBearerErrorCodes.JwksUnavailable, 503, null)]
    public void ProtectedApisAnswerEachCodeWithItsChallenge(string code, int status, string? challenge)
    {
        TesseraErrorEntry entry = TesseraErrorCatalog.Describe(code);

        Assert.Equal((status, challenge), (entry.Status, entry.ChallengeError));
    }

    [Fact]
    public void UnknownCodesAnswer400AsBefore()
    {
        Assert.Null(TesseraErrorCatalog.Find("an_apps_own_code"));
        Assert.Equal(StatusCodes.Status400BadRequest, TesseraErrorCatalog.StatusFor("an_apps_own_code"));
    }

    [Theory]
    [InlineData(401, TesseraErrorCodes.Unauthenticated)]
    [InlineData(404, HttpErrorCodes.NotFound)]
    [InlineData(429, TesseraErrorCodes.RateLimited)]
    [InlineData(503, TesseraErrorCodes.StoreUnavailable)]
    [InlineData(502, HttpErrorCodes.InternalError)]
    [InlineData(400, HttpErrorCodes.MalformedRequest)]
    [InlineData(431, HttpErrorCodes.MalformedRequest)]
    public void FrameworkStatusesGetTheirCode(int status, string code)
    {
        Assert.Equal(code, TesseraErrorCatalog.CodeForStatus(status));
        Assert.Equal(code, HttpErrorCodes.ForStatus(status));
    }

    [Theory]
    [InlineData(TesseraErrorCodes.RefreshTokenReused, "invalid_grant", 400)]
    [InlineData(TesseraErrorCodes.SessionExpired, "invalid_grant", 400)]
    [InlineData(TesseraErrorCodes.InvalidGrant, "invalid_grant", 400)]
    [InlineData(OAuthErrorCodes.InvalidClient, "invalid_client", 401)]
    [InlineData(OAuthErrorCodes.UnsupportedGrantType, "unsupported_grant_type", 400)]
    [InlineData("an_apps_own_code", "invalid_request", 400)]
    public async Task OAuthEndpointsAnswerInTheRfc6749Shape(string code, string error, int status)
    {
        JsonHttpResult<OAuthErrorResponse> result = Tessera.AspNetCore.Http.OAuthErrors.Result(code, "why");

        Assert.Equal(status, result.StatusCode);
        Assert.Equal((error, "why", code), (result.Value!.Error, result.Value.ErrorDescription, result.Value.Code));
        using JsonDocument body = JsonDocument.Parse(await WriteAsync(result));
        Assert.Equal(error, body.RootElement.GetProperty("error").GetString());
        Assert.Equal(code, body.RootElement.GetProperty("tessera_error").GetString());
    }

    [Fact]
    public void ProblemCarriesTheReasonBesideTheCode()
    {
        var error = new TesseraError(TesseraErrorCodes.InvalidToken, "The access token has expired.") { Reason = JoseErrorCodes.Expired };

        Microsoft.AspNetCore.Mvc.ProblemDetails problem = TesseraProblems.Details(401, error);

        Assert.Equal("invalid_token", problem.Extensions[TesseraProblems.ErrorMember]);
        Assert.Equal("expired", problem.Extensions[TesseraProblems.ReasonMember]);
        Assert.False(TesseraProblems.Details(401, error with { Reason = null }).Extensions.ContainsKey(TesseraProblems.ReasonMember));
    }

    private static IEnumerable<(FieldInfo Field, string Code)> Definitions(bool aliases) =>
        Catalogs.SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && (aliases || !IsAlias(f)))
            .Select(f => (f, (string)f.GetRawConstantValue()!));

    /// <summary>A public constant kept for existing callers, hidden from IntelliSense, pointing at the one definition.</summary>
    private static bool IsAlias(FieldInfo field) =>
        field.GetCustomAttribute<EditorBrowsableAttribute>()?.State == EditorBrowsableState.Never;

    private static async Task<string> WriteAsync(IResult result)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }
}
