using System.CommandLine;
using Tessera.Cli.Input;
using Tessera.Cli.Output;
using Tessera.Cli.Stores;
using Tessera.OAuth;
using Tessera.OAuth.Registration;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera client add|list|remove|rotate-secret</c>: a server's OAuth client registry, through
/// the same <see cref="ClientRegistration"/> rules the admin API and configuration use. A new
/// secret is printed once. Invalid settings exit 2 with the field's stable code
/// (<c>error: client_redirect_uri_invalid: --redirect-uri: …</c>); a missing client exits 1.
/// </summary>
internal static class ClientCommands
{
    /// <summary>The command-line spelling of each registration field, for messages.</summary>
    private static readonly Dictionary<string, string> OptionOfField = new(StringComparer.Ordinal)
    {
        ["clientId"] = "CLIENT_ID",
        ["displayName"] = "--name",
        ["clientType"] = "--type",
        ["tokenEndpointAuthMethod"] = "--auth-method",
        ["jwks"] = "--jwks",
        ["redirectUris"] = "--redirect-uri",
        ["postLogoutRedirectUris"] = "--post-logout-uri",
        ["grantTypes"] = "--grant-type",
        ["scopes"] = "--scope",
        ["corsOrigins"] = "--cors-origin",
        ["idTokenSignedResponseAlg"] = "--id-token-alg",
    };

    public static Command Create(CliIo io) => new("client", "Register and manage the OAuth clients of a Tessera server (its --data folder or --postgres database).")
    {
        Add(io),
        List(io),
        Remove(io),
        RotateSecret(io),
    };

    private static Command Add(CliIo io)
    {
        var location = ServerLocations.Stores();
        var clientId = new Argument<string>("CLIENT_ID") { Description = "The client's id: 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'." };
        var type = new Option<string>("--type")
        {
            HelpName = "TYPE",
            Description = "public (a browser or native app: no secret, PKCE only) or confidential (a server that keeps a secret or key).",
            Required = true,
        };
        type.AcceptOnlyFromAmong(ClientTypes.Public, ClientTypes.Confidential);
        var name = new Option<string?>("--name") { HelpName = "NAME", Description = "Shown on the consent page and in the device list. Default: the client id." };
        var method = new Option<string?>("--auth-method")
        {
            HelpName = "METHOD",
            Description = $"How it authenticates at the token endpoint: {string.Join(", ", ClientAuthMethods.All)}. Default: none for public, client_secret_basic for confidential (a secret is generated and printed once).",
        };
        Option<string[]> redirectUris = CommonOptions.Repeatable("--redirect-uri", "URI", "A redirect URI, matched exactly (repeatable): https, http on 127.0.0.1/[::1]/localhost, or a private-use scheme such as com.example.app:/callback.");
        Option<string[]> postLogoutUris = CommonOptions.Repeatable("--post-logout-uri", "URI", "Where RP-initiated logout may return (repeatable); the same rules as --redirect-uri.");
        Option<string[]> grantTypes = CommonOptions.Repeatable("--grant-type", "GRANT", $"A grant type it may use (repeatable): {string.Join(", ", GrantTypes.All)}. Default: authorization_code and refresh_token.");
        Option<string[]> scopes = CommonOptions.Repeatable("--scope", "SCOPE", "Scopes it may ask for (repeatable, or several in one quoted, space-separated value). Default with the code grant: openid profile offline_access.");
        Option<string[]> corsOrigins = CommonOptions.Repeatable("--cors-origin", "ORIGIN", "A browser origin allowed to call the token endpoint (repeatable), as https://app.example.org.");
        var jwks = new Option<string?>("--jwks") { HelpName = "FILE", Description = "The client's public keys as a JWK Set file (- for stdin), for --auth-method private_key_jwt." };
        var noConsent = new Option<bool>("--no-consent") { Description = "A first-party client you trust: users are not asked to consent." };
        var idTokenAlg = new Option<string?>("--id-token-alg") { HelpName = "ALG", Description = $"The ID tokens' signing algorithm: {string.Join(", ", IdTokenAlgorithms.Supported)}. Default: {IdTokenAlgorithms.Default}." };
        var json = JsonFlag();
        var command = new Command("add", "Register a new client. A client_secret_basic/post client gets a generated secret, printed once: store it then.")
        {
            clientId, type, name, method, redirectUris, postLogoutUris, grantTypes, scopes, corsOrigins, jwks, noConsent, idTokenAlg, json,
        };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string? keySet = parsed.GetValue(jwks) is { } file ? new InputReader(io.In).ReadText(file, "the JWK Set", TesseraErrorCodes.ClientJwksInvalid) : null;
            var request = new ClientRegistrationRequest
            {
                ClientId = parsed.GetRequiredValue(clientId),
                DisplayName = parsed.GetValue(name),
                ClientType = parsed.GetRequiredValue(type),
                TokenEndpointAuthMethod = parsed.GetValue(method),
                JwksJson = keySet,
                RedirectUris = NullIfEmpty(parsed.GetValue(redirectUris)),
                PostLogoutRedirectUris = NullIfEmpty(parsed.GetValue(postLogoutUris)),
                GrantTypes = NullIfEmpty(parsed.GetValue(grantTypes)),
                Scopes = NullIfEmpty(parsed.GetValue(scopes)?.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray()),
                CorsOrigins = NullIfEmpty(parsed.GetValue(corsOrigins)),
                RequireConsent = !parsed.GetValue(noConsent),
                IdTokenSignedResponseAlg = parsed.GetValue(idTokenAlg),
            };
            if (ClientRegistrationRules.Validate(request) is [var first, ..] problems)
            {
                throw new CliException(first.Code, string.Join("; ", problems.Select(p => $"{OptionOfField.GetValueOrDefault(p.Field, p.Field)}: {p.Message}")), ExitCodes.Usage);
            }

            await using ServerStoreAccess stores = await location.OpenAsync(parsed, cancellationToken);
            RegisteredClient registered = Succeeded(await Registration(stores, io).CreateAsync(request, cancellationToken));
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(io.Out, writer => ClientOutput.WriteJson(writer, registered.Client, registered.Secret));
            }
            else
            {
                io.Out.WriteLine($"Registered client '{registered.Client.ClientId}'.");
                ClientOutput.WriteDetails(io.Out, registered.Client);
                if (registered.Secret is { } secret)
                {
                    ClientOutput.WriteSecret(io.Out, secret);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliIo io)
    {
        var location = ServerLocations.Stores();
        var json = JsonFlag();
        var command = new Command("list", "List the registered clients (never their secrets). --json prints every setting.") { json };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using ServerStoreAccess stores = await location.OpenAsync(parsed, cancellationToken);
            IReadOnlyList<OAuthClient> clients = await stores.Clients.ListAsync(cancellationToken);
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(io.Out, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray("clients");
                    foreach (OAuthClient client in clients)
                    {
                        ClientOutput.WriteJson(writer, client);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                });
            }
            else
            {
                ClientOutput.WriteTable(io.Out, clients);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliIo io)
    {
        var location = ServerLocations.Stores();
        var clientId = new Argument<string>("CLIENT_ID") { Description = "The client to remove (its consents go too; sessions it holds end when they expire or are revoked)." };
        var json = JsonFlag();
        var command = new Command("remove", "Remove a client: it can no longer sign users in or get tokens.") { clientId, json };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string id = parsed.GetRequiredValue(clientId);
            await using ServerStoreAccess stores = await location.OpenAsync(parsed, cancellationToken);
            if (!await Registration(stores, io).RemoveAsync(id, cancellationToken))
            {
                throw new CliException(TesseraErrorCodes.ClientNotFound, $"no client has the id '{id}'");
            }

            if (parsed.GetValue(json))
            {
                JsonOutput.Write(io.Out, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("removed", id);
                    writer.WriteEndObject();
                });
            }
            else
            {
                io.Out.WriteLine($"Removed client '{id}'.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RotateSecret(CliIo io)
    {
        var location = ServerLocations.Stores();
        var clientId = new Argument<string>("CLIENT_ID") { Description = "A client that authenticates with client_secret_basic or client_secret_post." };
        var keepOld = new Option<bool>("--keep-old")
        {
            Description = "Keep the newest previous secret valid beside the new one (at most two), so the client can move over without downtime; the next rotation without --keep-old drops it.",
        };
        var json = JsonFlag();
        var command = new Command("rotate-secret", "Give a client a new secret, printed once. Without --keep-old the previous secret stops working at once.") { clientId, keepOld, json };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using ServerStoreAccess stores = await location.OpenAsync(parsed, cancellationToken);
            RegisteredClient rotated = Succeeded(await Registration(stores, io).RotateSecretAsync(parsed.GetRequiredValue(clientId), parsed.GetValue(keepOld), cancellationToken));
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(io.Out, writer => ClientOutput.WriteJson(writer, rotated.Client, rotated.Secret));
            }
            else
            {
                io.Out.WriteLine(rotated.Client.SecretHashes.Count > 1
                    ? $"New secret for client '{rotated.Client.ClientId}'; the previous one stays valid until the next rotation."
                    : $"New secret for client '{rotated.Client.ClientId}'; the previous one no longer works.");
                ClientOutput.WriteSecret(io.Out, rotated.Secret!);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static ClientRegistration Registration(ServerStoreAccess stores, CliIo io) => new(stores.Clients, io.TimeProvider);

    private static RegisteredClient Succeeded(Outcome<RegisteredClient> outcome) =>
        outcome.Succeeded ? outcome.Value : throw new CliException(outcome.Error.Code, outcome.Error.Message);

    private static string[]? NullIfEmpty(string[]? values) => values is { Length: > 0 } ? values : null;

    internal static Option<bool> JsonFlag() => new("--json") { Description = "Print JSON (indented by two spaces) instead of text." };
}
