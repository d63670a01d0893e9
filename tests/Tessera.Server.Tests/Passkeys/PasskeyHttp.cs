using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Server.Tests.Passkeys;

/// <summary>The passkey ceremonies over HTTP, with a <see cref="SoftwareAuthenticator"/> in the browser's place.</summary>
internal static class PasskeyHttp
{
    /// <summary>POST registration/options; the options and state.</summary>
    public static async Task<(JsonElement Options, string State)> RegistrationOptionsAsync(this HttpClient browser)
    {
        JsonElement body = await (await browser.PostAsync("/auth/passkeys/registration/options", null)).AssertOkJsonAsync();
        return (body.GetProperty("options"), body.GetProperty("state").GetString()!);
    }

    /// <summary>Registers <paramref name="authenticator"/>'s credential on the signed-in account; the raw answer.</summary>
    public static async Task<HttpResponseMessage> TryRegisterAsync(this HttpClient browser, SoftwareAuthenticator authenticator, string? name = null)
    {
        (JsonElement options, string state) = await browser.RegistrationOptionsAsync();
        return await browser.PostJsonAsync("/auth/passkeys/registration", new { state, credential = authenticator.Create(options), name });
    }

    /// <summary>Registers and asserts 201; the passkey view.</summary>
    public static async Task<JsonElement> RegisterPasskeyAsync(this HttpClient browser, SoftwareAuthenticator authenticator, string? name = null) =>
        await (await browser.TryRegisterAsync(authenticator, name)).AssertOkJsonAsync(HttpStatusCode.Created);

    /// <summary>POST assertion/options; the options and state.</summary>
    public static async Task<(JsonElement Options, string State)> AssertionOptionsAsync(this HttpClient client)
    {
        JsonElement body = await (await client.PostAsync("/auth/passkeys/assertion/options", null)).AssertOkJsonAsync();
        return (body.GetProperty("options"), body.GetProperty("state").GetString()!);
    }

    /// <summary>A full passkey sign-in at <paramref name="path"/> (/auth/session/passkey or /auth/token/passkey); the raw answer.</summary>
    public static async Task<HttpResponseMessage> TrySignInAsync(this HttpClient client, SoftwareAuthenticator authenticator, string path = "/auth/session/passkey")
    {
        (JsonElement options, string state) = await client.AssertionOptionsAsync();
        JsonObject credential = authenticator.Get(options);
        return await client.PostJsonAsync(path, new { state, credential });
    }

    /// <summary>A cookie sign-in with the passkey that must work; the sign-in body.</summary>
    public static async Task<JsonElement> SignInWithPasskeyAsync(this HttpClient client, SoftwareAuthenticator authenticator) =>
        await (await client.TrySignInAsync(authenticator)).AssertOkJsonAsync();
}
