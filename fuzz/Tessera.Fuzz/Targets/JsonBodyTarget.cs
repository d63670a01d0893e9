using System.Text.Json;
using Tessera.AspNetCore.Admin;
using Tessera.AspNetCore.Endpoints;
using Tessera.OAuth.Registration;
using Tessera.Sessions;
using Tessera.Users;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Tessera.Fuzz.Targets;

/// <summary>
/// The JSON request bodies of the endpoints, read as minimal APIs read them (System.Text.Json with
/// the endpoints' options, the web defaults) and then checked by the rules each endpoint applies:
/// <c>{"username","password"}</c> (register, sign-in), a session attribute's value, a refresh
/// request, an admin client registration. Documented: <see cref="JsonException"/> from the
/// deserializer (the endpoint answers 400); nothing after it throws. Properties: an attribute value
/// that can be stored decodes back to the same JSON; a registration that passes the rules passes
/// them again once normalized.
/// </summary>
internal static class JsonBodyTarget
{
    private static readonly JsonSerializerOptions Options = new HttpJsonOptions().SerializerOptions;

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (Read<CredentialsRequest>(input) is { } credentials)
        {
            _ = UserRegistration.Validate(credentials.Username, credentials.Password);
            _ = credentials.ToString();
        }

        if (Read<AttributeValueRequest>(input) is { } attribute)
        {
            (string? stored, string? problem) = SessionAttributeRules.Prepare(attribute.Value, 4096);
            FuzzPropertyException.Check((stored is null) != (problem is null), "an attribute value is either stored or refused with a reason");
            if (stored is not null)
            {
                JsonElement decoded = SessionAttributeFormat.Decode(stored);
                FuzzPropertyException.Check(SessionAttributeFormat.CompactJson(decoded) == SessionAttributeFormat.CompactJson(attribute.Value),
                    "a stored attribute value decodes to the same JSON");
            }
        }

        _ = Read<RefreshTokenRequest>(input);

        // As the admin endpoints: a JWK Set that is not UTF-8 is refused before anything reads it as text.
        if (Read<AdminClientRequest>(input) is { } client && client.JwksProblem() is null)
        {
            (ClientRegistrationRequest? normalized, IReadOnlyList<ClientRegistrationProblem> problems) = ClientRegistrationRules.Check(client.ToRegistration());
            FuzzPropertyException.Check((normalized is null) == (problems.Count > 0), "a registration is either normalized or has problems");
            if (normalized is not null)
            {
                FuzzPropertyException.Check(ClientRegistrationRules.Validate(normalized).Count == 0, "a normalized registration passes the rules again");
            }
        }
    }

    private static T? Read<T>(ReadOnlySpan<byte> input)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(input, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
