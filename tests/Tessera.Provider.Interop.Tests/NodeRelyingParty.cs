using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Testing.Servers;

namespace Tessera.Provider.Interop.Tests;

/// <summary>
/// openid-client (js/rp.mjs) as one registered client of the provider: each call runs one command
/// in its own Node process and returns what the library answered. The library does the protocol;
/// this class only passes options and reads JSON.
/// </summary>
public sealed class NodeRelyingParty(Uri issuer, InteropClient client)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public InteropClient Client => client;

    public Task<RpAnswer> DiscoverAsync() => RunAsync("discover", new JsonObject());

    /// <param name="extraParameters">More authorization request parameters, such as <c>dpop_jkt</c> (RFC 9449 §10).</param>
    public async Task<AuthorizationRequest> AuthorizationUrlAsync(string scope, string? redirectUri = null, JsonObject? extraParameters = null)
    {
        JsonObject result = (await RunAsync("authorizeUrl", new JsonObject { ["redirectUri"] = redirectUri ?? client.RedirectUri, ["scope"] = scope, ["extraParameters"] = extraParameters?.DeepClone() })).Result();
        return new AuthorizationRequest(
            new Uri((string)result["url"]!),
            (string)result["state"]!,
            (string)result["nonce"]!,
            (string)result["codeVerifier"]!);
    }

    /// <param name="dpopKey">A private JWK from <see cref="DpopKeyPairAsync"/>: the library's DPoP handle signs with it (RFC 9449).</param>
    public Task<RpAnswer> CallbackAsync(AuthorizationRequest request, Uri callback, JsonObject? dpopKey = null) => RunAsync("callback", new JsonObject
    {
        ["callbackUrl"] = callback.ToString(),
        ["state"] = request.State,
        ["nonce"] = request.Nonce,
        ["codeVerifier"] = request.CodeVerifier,
        ["dpopKey"] = dpopKey?.DeepClone(),
    });

    public Task<RpAnswer> UserInfoAsync(string accessToken, string? expectedSubject, JsonObject? dpopKey = null) =>
        RunAsync("userinfo", new JsonObject { ["accessToken"] = accessToken, ["expectedSubject"] = expectedSubject, ["dpopKey"] = dpopKey?.DeepClone() });

    public Task<RpAnswer> RefreshAsync(string refreshToken, string? scope = null, JsonObject? dpopKey = null) =>
        RunAsync("refresh", new JsonObject { ["refreshToken"] = refreshToken, ["scope"] = scope, ["dpopKey"] = dpopKey?.DeepClone() });

    /// <summary>A key pair from the library's <c>randomDPoPKeyPair</c>: <c>privateJwk</c> and <c>publicJwk</c>.</summary>
    public Task<RpAnswer> DpopKeyPairAsync(string alg = "ES256") => RunAsync("dpopKeyPair", new JsonObject { ["alg"] = alg });

    public Task<RpAnswer> RevokeAsync(string token, string? tokenTypeHint) =>
        RunAsync("revoke", new JsonObject { ["token"] = token, ["tokenTypeHint"] = tokenTypeHint });

    public Task<RpAnswer> IntrospectAsync(string token, string? tokenTypeHint = null) =>
        RunAsync("introspect", new JsonObject { ["token"] = token, ["tokenTypeHint"] = tokenTypeHint });

    public Task<RpAnswer> ClientCredentialsAsync(string? scope) =>
        RunAsync("clientCredentials", new JsonObject { ["scope"] = scope });

    public Task<RpAnswer> ResourceAsync(string accessToken, Uri url, string method = "GET", JsonObject? dpopKey = null) =>
        RunAsync("resource", new JsonObject { ["accessToken"] = accessToken, ["url"] = url.ToString(), ["method"] = method, ["dpopKey"] = dpopKey?.DeepClone() });

    private async Task<RpAnswer> RunAsync(string command, JsonObject options)
    {
        options["issuer"] = issuer.ToString().TrimEnd('/');
        options["clientId"] = client.ClientId;
        options["clientSecret"] = client.Secret;
        options["authMethod"] = client.AuthMethod;

        ProcessStartInfo start = ExternalCommand.For("node", ["rp.mjs", command, options.ToJsonString()]);
        start.WorkingDirectory = NodeProject.Folder;
        using var process = new Process { StartInfo = start };
        process.Start();
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"node rp.mjs {command} did not finish within {Timeout}.");
        }

        string output = (await stdout).Trim();
        string errors = await stderr;
        if (output.Length == 0)
        {
            throw new InvalidOperationException($"node rp.mjs {command} printed nothing (exit {process.ExitCode}): {errors}");
        }

        return new RpAnswer(command, JsonNode.Parse(output)!.AsObject());
    }
}

/// <summary>One answer of rp.mjs: {"ok":true,"result":…} or {"ok":false,"error":…}.</summary>
public sealed record RpAnswer(string Command, JsonObject Json)
{
    public bool Ok => (bool)Json["ok"]!;

    /// <summary>The result; fails the test with the library's error when the command failed.</summary>
    public JsonObject Result() => Ok
        ? Json["result"]!.AsObject()
        : throw new Xunit.Sdk.XunitException($"openid-client {Command} failed: {Json["error"]!.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}");

    /// <summary>The error; fails the test when the command succeeded.</summary>
    public JsonObject Error() => !Ok
        ? Json["error"]!.AsObject()
        : throw new Xunit.Sdk.XunitException($"openid-client {Command} was expected to fail but answered: {Json["result"]?.ToJsonString()}");

    /// <summary>Every HTTP request the library made for the command: method, url, authorization (scheme), proof (claims), status, dpopNonce, wwwAuthenticate.</summary>
    public IReadOnlyList<JsonObject> Trace => Json["trace"] is JsonArray trace ? [.. trace.Select(t => t!.AsObject())] : [];

    public override string ToString() => Json.ToJsonString();
}

/// <summary>What the relying party keeps between sending the browser away and its return.</summary>
public sealed record AuthorizationRequest(Uri Url, string State, string Nonce, string CodeVerifier);
