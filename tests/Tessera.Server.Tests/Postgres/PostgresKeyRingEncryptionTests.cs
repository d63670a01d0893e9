using System.Globalization;
using Npgsql;
using Tessera.Server.Tests.KeyEncryption;
using Tessera.Server.Tests.Tokens;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.Postgres;

/// <summary>
/// With <c>Tessera:Store=postgres</c> the Data Protection keys sit in the same database as the
/// signing keys they protect: a dump must not hold them in plaintext, whether the server or
/// <c>tessera key rotate</c> wrote them.
/// </summary>
public sealed class PostgresKeyRingEncryptionTests(PostgresServer cluster) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task TheKeyRingRowsHoldNoPlaintextMasterKeyAfterTheServerAndTheCliWroteThem()
    {
        string connection = await cluster.CreateDatabaseAsync();
        using TestServerFactory server = new(PostgresTestServer.Settings(connection));
        await server.CreateBareClient().RegisterAndSignInForTokensAsync("alice");
        foreach (string xml in await KeyRowsAsync(connection))
        {
            KeyRingXml.AssertEncrypted(xml);
        }

        // The CLI opens the ring with the same certificate (from the server's environment variables).
        server.Time.Advance(TimeSpan.FromSeconds(2));
        string now = server.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var rotated = await TesseraCli.RunAsync("key", "rotate", "--postgres", connection, "--lead", "0s", "--now", now);
        Assert.True(rotated.ExitCode == 0, rotated.Stderr);

        string[] rows = await KeyRowsAsync(connection);
        Assert.NotEmpty(rows);
        foreach (string xml in rows)
        {
            KeyRingXml.AssertEncrypted(xml);
        }
    }

    private static async Task<string[]> KeyRowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM data_protection_keys ORDER BY id", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return [.. rows];
    }
}
