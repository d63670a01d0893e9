using System.CommandLine;
using System.Security.Cryptography;
using Tessera.Cli.Input;
using Tessera.Cli.Keys;
using Tessera.Cli.Output;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Keys;
using Tessera.Keys;
using Tessera.Sqlite;
using Tessera.Tokens;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera key list|rotate|retire (--data DIR | --postgres CONNECTION)</c>: the signing-key ring of a
/// Tessera server, read and changed in its store through the server's own store and protector classes
/// (<see cref="ServerKeyRingAccess"/>). Every running instance picks a change up within its key-ring
/// refresh interval (1 minute by default).
/// </summary>
internal static class ServerKeyCommands
{
    public static Command List(CliIo io)
    {
        var location = ServerLocations.KeyRing();
        Option<long?> now = CommonOptions.Now("to tell which key signs");
        var command = new Command("list", "List the signing keys of a Tessera server's key ring (never their private halves), oldest first, with the signing one of each algorithm, and its refresh secrets' ids, as JSON.")
        {
            now,
        };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using ServerKeyRingAccess ring = await location.OpenAsync(parsed, cancellationToken);
            IReadOnlyList<SigningKeyRecord> all = await ring.Store.ListAsync(cancellationToken);
            SigningKeyRecord[] keys = [.. all.Where(k => k.Use == SigningKeyUses.Signing).OrderBy(k => k.ActivatesAt).ThenBy(k => k.KeyId, StringComparer.Ordinal)];
            // The refresh secrets (never published): the newest unretired one derives refresh tokens.
            SigningKeyRecord[] secrets = [.. all.Where(k => k.Use == SigningKeyUses.RefreshDerivation).OrderByDescending(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal)];
            string? deriving = secrets.FirstOrDefault(k => k.RetiresAt is null)?.KeyId;
            DateTimeOffset at = CommonOptions.Clock(parsed.GetValue(now), io).GetUtcNow();
            // The ring keeps a key per algorithm (access tokens, ID tokens): each algorithm has its own signing key.
            HashSet<string> current = [.. keys.GroupBy(k => k.Algorithm, StringComparer.Ordinal)
                .Select(g => g.LastOrDefault(k => k.ActivatesAt <= at && k.RetiresAt is null)?.KeyId)
                .OfType<string>()];
            JsonOutput.Write(io.Out, writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("keys");
                foreach (SigningKeyRecord key in keys)
                {
                    writer.WriteStartObject();
                    writer.WriteString("kid", key.KeyId);
                    writer.WriteString("alg", key.Algorithm);
                    writer.WriteString("status", key.RetiresAt is not null ? "retired" : current.Contains(key.KeyId) ? "signing" : key.ActivatesAt > at ? "published, not yet signing" : "superseded");
                    writer.WriteString("createdAt", key.CreatedAt);
                    writer.WriteString("activatesAt", key.ActivatesAt);
                    if (key.RetiresAt is { } retired)
                    {
                        writer.WriteString("retiresAt", retired);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteStartArray("refreshSecrets");
                foreach (SigningKeyRecord secret in secrets)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", secret.KeyId);
                    writer.WriteString("status", secret.RetiresAt is not null ? "retired" : secret.KeyId == deriving ? "deriving" : "previous");
                    writer.WriteString("createdAt", secret.CreatedAt);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Rotate(CliIo io)
    {
        var location = ServerLocations.KeyRing();
        Option<long?> now = CommonOptions.Now("as the new key's creation time");
        Option<string?> alg = CommonOptions.Algorithm("The new key's algorithm; the server keeps a signing key for its Tessera:Tokens:Algorithm (access tokens) and for each of its Tessera:Tokens:IdTokenAlgorithms (ID tokens), and signs only with those. Default: ES256.");
        var lead = new Option<string>("--lead")
        {
            HelpName = "DURATION",
            Description = "How long the new key is published before it signs, so JWKS caches catch up: 1h (the default), 30m…; 0s signs at once.",
            DefaultValueFactory = _ => "1h",
        };
        var command = new Command("rotate", "Add a new signing key to a Tessera server's key ring: published at once, signing after --lead. The previous key stays published until its tokens expired. Prints the new public JWK.")
        {
            alg, lead, now,
        };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string leadText = parsed.GetRequiredValue(lead);
            TimeSpan publicationLead = TimeSpan.Zero;
            if (leadText is not ("0" or "0s") && !DurationParser.TryParse(leadText, out publicationLead, out string? problem))
            {
                throw CliException.Usage($"--lead: {problem}");
            }

            string algorithm = parsed.GetValue(alg) ?? "ES256";
            if (JwsAlgorithms.All[algorithm].KeyType == JwkKeyType.Octet)
            {
                throw CliException.Usage("--alg must be an asymmetric algorithm: the public keys are published");
            }

            await using ServerKeyRingAccess access = await location.OpenAsync(parsed, cancellationToken);
            // Only what RotateAsync reads matters here: the publication lead (the algorithm is passed).
            var options = new TesseraTokenOptions
            {
                Algorithm = algorithm,
                KeyPublicationLead = publicationLead,
                KeyRotationInterval = publicationLead + new TesseraTokenOptions().KeyRotationInterval,
                KeyRingRefreshInterval = TimeSpan.Zero,
            };
            using var ring = new SigningKeyRing(access.Store, access.Protector, options, CommonOptions.Clock(parsed.GetValue(now), io));
            SigningKeyRecord key = await ring.RotateAsync(algorithm, immediately: publicationLead == TimeSpan.Zero, cancellationToken);
            JsonOutput.WriteDocument(io.Out, key.PublicJwk!);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Retire(CliIo io)
    {
        var location = ServerLocations.KeyRing();
        Option<long?> now = CommonOptions.Now("as the retirement time");
        var kid = new Argument<string?>("KID")
        {
            Description = "The key to retire (a signing key's kid, or a refresh secret's id, as `key list` shows them).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var unreadable = new Option<bool>("--unreadable")
        {
            Description = "Retire every key that the server's Data Protection keys cannot decrypt (after they were lost), instead of one KID.",
        };
        var command = new Command("retire", "Retire keys of a Tessera server's key ring: a retired signing key stops signing at once and leaves the JWKS when its tokens expired; a retired refresh secret stops deriving. The server makes a new one when none is left. Prints the retired ids as JSON.")
        {
            kid, unreadable, now,
        };
        location.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string? named = parsed.GetValue(kid);
            bool sweep = parsed.GetValue(unreadable);
            if ((named is null) == !sweep)
            {
                throw CliException.Usage("name one KID, or give --unreadable");
            }

            await using ServerKeyRingAccess ring = await location.OpenAsync(parsed, cancellationToken);
            List<string> targets = [.. (await ring.Store.ListAsync(cancellationToken))
                .Where(k => k.RetiresAt is null && (sweep ? !CanUnprotect(ring.Protector, k.ProtectedPrivate) : string.Equals(k.KeyId, named, StringComparison.Ordinal)))
                .Select(k => k.KeyId)];
            if (!sweep && targets.Count == 0)
            {
                throw new CliException(CliErrorCodes.InputUnreadable, $"no key {named} that is not already retired");
            }

            DateTimeOffset at = CommonOptions.Clock(parsed.GetValue(now), io).GetUtcNow();
            foreach (string id in targets)
            {
                await ring.Store.RetireAsync(id, at, cancellationToken);
            }

            JsonOutput.Write(io.Out, writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("retired");
                targets.ForEach(writer.WriteStringValue);
                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static bool CanUnprotect(ISecretProtector protector, string protectedValue)
    {
        try
        {
            protector.Unprotect(protectedValue);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
