using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Tessera.Cli.Input;
using Tessera.Cli.Output;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Keys;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera key list|rotate|retire --data DIR</c>: the signing-key ring of a Tessera server, read and
/// changed in the server's data folder: the <c>signing_keys</c> table of its SQLite file, and the
/// data-protection keys in <c>DIR/keys</c> that protect the private halves. Every running instance
/// picks a new key up within its key-ring refresh interval (1 minute by default).
/// </summary>
/// <remarks>
/// The row layout and the protection purpose mirror <c>Tessera.Keys.SigningKeyRecord</c> (format 1),
/// <c>Tessera.Sqlite.TesseraSqliteSchema</c> (migration 2) and
/// <c>Tessera.AspNetCore.Tokens.DataProtectionSecretProtector</c>; the server's tests read keys this
/// command writes. The CLI cannot reference those assemblies: its own is named "tessera", and
/// assembly names match case-insensitively.
/// </remarks>
internal static class ServerKeyCommands
{
    private const string DataProtectionApplicationName = "Tessera";
    private const string ProtectionPurpose = "Tessera.Keys.SigningKeyRing.v1";
    private const int KeyFormat = 1;

    public static Command List(CliIo io)
    {
        Option<string> data = DataOption();
        Option<long?> now = CommonOptions.Now("to tell which key signs");
        var command = new Command("list", "List the signing keys of a Tessera server's key ring (never their private halves), oldest first, as JSON.")
        {
            data, now,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using SqliteConnection connection = await OpenAsync(parsed.GetRequiredValue(data), cancellationToken);
            await using SqliteCommand select = connection.CreateCommand();
            select.CommandText = "SELECT kid, algorithm, created_at, activates_at, retires_at, use FROM signing_keys ORDER BY activates_at, kid;";
            var all = new List<(string Kid, string Alg, DateTimeOffset Created, DateTimeOffset Activates, DateTimeOffset? Retires, string Use)>();
            await using (SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    all.Add((reader.GetString(0), reader.GetString(1), Time(reader.GetInt64(2)), Time(reader.GetInt64(3)),
                        reader.IsDBNull(4) ? null : Time(reader.GetInt64(4)), reader.GetString(5)));
                }
            }

            var keys = all.Where(k => k.Use == "sig").ToList();
            // The refresh secrets (never published): the newest unretired one derives refresh tokens.
            var secrets = all.Where(k => k.Use == "refresh").OrderByDescending(k => k.Created).ThenBy(k => k.Kid, StringComparer.Ordinal).ToList();
            string? deriving = secrets.FirstOrDefault(k => k.Retires is null).Kid;
            DateTimeOffset at = CommonOptions.Clock(parsed.GetValue(now), io).GetUtcNow();
            string? current = keys.LastOrDefault(k => k.Activates <= at && k.Retires is null).Kid;
            JsonOutput.Write(io.Out, writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("keys");
                foreach (var key in keys)
                {
                    writer.WriteStartObject();
                    writer.WriteString("kid", key.Kid);
                    writer.WriteString("alg", key.Alg);
                    writer.WriteString("status", key.Retires is not null ? "retired" : key.Kid == current ? "signing" : key.Activates > at ? "published, not yet signing" : "superseded");
                    writer.WriteString("createdAt", key.Created);
                    writer.WriteString("activatesAt", key.Activates);
                    if (key.Retires is { } retired)
                    {
                        writer.WriteString("retiresAt", retired);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteStartArray("refreshSecrets");
                foreach (var secret in secrets)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", secret.Kid);
                    writer.WriteString("status", secret.Retires is not null ? "retired" : secret.Kid == deriving ? "deriving" : "previous");
                    writer.WriteString("createdAt", secret.Created);
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
        Option<string> data = DataOption();
        Option<long?> now = CommonOptions.Now("as the new key's creation time");
        Option<string?> alg = CommonOptions.Algorithm("The new key's algorithm; the server signs only with keys of its Tessera:Tokens:Algorithm. Default: ES256.");
        var lead = new Option<string>("--lead")
        {
            HelpName = "DURATION",
            Description = "How long the new key is published before it signs, so JWKS caches catch up: 1h (the default), 30m…; 0s signs at once.",
            DefaultValueFactory = _ => "1h",
        };
        var command = new Command("rotate", "Add a new signing key to a Tessera server's key ring: published at once, signing after --lead. The previous key stays published until its tokens expired. Prints the new public JWK.")
        {
            data, alg, lead, now,
        };
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

            string folder = parsed.GetRequiredValue(data);
            await using SqliteConnection connection = await OpenAsync(folder, cancellationToken);
            IDataProtector protector = Protector(folder);

            Jwk generated = Jwk.Generate(algorithm);
            JsonObject json = JsonNode.Parse(generated.ToJson(includePrivate: true))!.AsObject();
            json["kid"] = generated.Thumbprint;
            json["alg"] = algorithm;
            json["use"] = "sig";
            Jwk key = Jwk.Parse(json.ToJsonString());
            long created = CommonOptions.Clock(parsed.GetValue(now), io).GetUtcNow().ToUnixTimeMilliseconds();

            await using SqliteCommand insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO signing_keys (kid, use, algorithm, public_jwk, protected_private, created_at, activates_at, retires_at, format)
                VALUES ($kid, 'sig', $alg, $public, $private, $created, $activates, NULL, $format);
                """;
            insert.Parameters.AddWithValue("$kid", key.Thumbprint);
            insert.Parameters.AddWithValue("$alg", algorithm);
            insert.Parameters.AddWithValue("$public", key.ToPublicJwk().ToJson());
            insert.Parameters.AddWithValue("$private", protector.Protect(key.ToJson(includePrivate: true)));
            insert.Parameters.AddWithValue("$created", created);
            insert.Parameters.AddWithValue("$activates", created + (long)publicationLead.TotalMilliseconds);
            insert.Parameters.AddWithValue("$format", KeyFormat);
            await insert.ExecuteNonQueryAsync(cancellationToken);

            JsonOutput.WriteDocument(io.Out, key.ToPublicJwk().ToJson());
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Retire(CliIo io)
    {
        Option<string> data = DataOption();
        Option<long?> now = CommonOptions.Now("as the retirement time");
        var kid = new Argument<string?>("KID")
        {
            Description = "The key to retire (a signing key's kid, or a refresh secret's id, as `key list` shows them).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var unreadable = new Option<bool>("--unreadable")
        {
            Description = "Retire every key that the Data Protection keys in DIR/keys cannot decrypt (after they were lost), instead of one KID.",
        };
        var command = new Command("retire", "Retire keys of a Tessera server's key ring: a retired signing key stops signing at once and leaves the JWKS when its tokens expired; a retired refresh secret stops deriving. The server makes a new one when none is left. Prints the retired ids as JSON.")
        {
            kid, data, unreadable, now,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string? named = parsed.GetValue(kid);
            bool sweep = parsed.GetValue(unreadable);
            if ((named is null) == !sweep)
            {
                throw CliException.Usage("name one KID, or give --unreadable");
            }

            string folder = parsed.GetRequiredValue(data);
            await using SqliteConnection connection = await OpenAsync(folder, cancellationToken);
            var targets = new List<string>();
            await using (SqliteCommand select = connection.CreateCommand())
            {
                select.CommandText = "SELECT kid, protected_private FROM signing_keys WHERE retires_at IS NULL ORDER BY created_at, kid;";
                IDataProtector protector = Protector(folder);
                await using SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    string id = reader.GetString(0);
                    if (sweep ? !CanUnprotect(protector, reader.GetString(1)) : string.Equals(id, named, StringComparison.Ordinal))
                    {
                        targets.Add(id);
                    }
                }
            }

            if (!sweep && targets.Count == 0)
            {
                throw new CliException(CliErrorCodes.InputUnreadable, $"no key {named} that is not already retired");
            }

            long at = CommonOptions.Clock(parsed.GetValue(now), io).GetUtcNow().ToUnixTimeMilliseconds();
            foreach (string id in targets)
            {
                await using SqliteCommand update = connection.CreateCommand();
                update.CommandText = "UPDATE signing_keys SET retires_at = $at WHERE kid = $kid AND retires_at IS NULL;";
                update.Parameters.AddWithValue("$at", at);
                update.Parameters.AddWithValue("$kid", id);
                await update.ExecuteNonQueryAsync(cancellationToken);
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

    private static IDataProtector Protector(string folder) =>
        DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(folder, "keys")),
            builder => builder.SetApplicationName(DataProtectionApplicationName)).CreateProtector(ProtectionPurpose);

    private static bool CanUnprotect(IDataProtector protector, string protectedValue)
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

    private static Option<string> DataOption() => new("--data")
    {
        HelpName = "DIR",
        Description = "The server's data folder (holds tessera.db and keys/).",
        Required = true,
    };

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    private static async Task<SqliteConnection> OpenAsync(string folder, CancellationToken cancellationToken)
    {
        string path = Path.Combine(folder, "tessera.db");
        if (!File.Exists(path))
        {
            throw new CliException(CliErrorCodes.InputUnreadable, $"no Tessera database in {folder}: start the server once with --data {folder}");
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 5 }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using SqliteCommand version = connection.CreateCommand();
        version.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE module = 'tessera';";
        long schema;
        try
        {
            schema = (long)(await version.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (SqliteException)
        {
            schema = 0;
        }

        if (schema < 2)
        {
            await connection.DisposeAsync();
            throw new CliException(CliErrorCodes.InputUnreadable, string.Create(CultureInfo.InvariantCulture, $"the database in {folder} predates token mode: start the current server once to upgrade it"));
        }

        return connection;
    }
}
