using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using StackExchange.Redis;

namespace Tessera.LoadBench;

/// <summary>Small requests the concepts measurements make: is a credential accepted as its user, sign one out.</summary>
public static class ConceptsProbe
{
    /// <summary>How many of <paramref name="credentials"/> get a 200 naming their own user at <paramref name="client"/>'s target.</summary>
    public static async Task<int> AcceptedAsync(HttpClient client, IReadOnlyList<Credential> credentials, CancellationToken cancellationToken)
    {
        int accepted = 0;
        foreach (Credential credential in credentials)
        {
            if (await AcceptsAsync(client, credential, cancellationToken))
            {
                accepted++;
            }
        }

        return accepted;
    }

    /// <summary>True for a 200 as the credential's user, false for a 401; anything else is a broken target and throws.</summary>
    public static async Task<bool> AcceptsAsync(HttpClient client, Credential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(credential);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/bench/whoami");
        credential.AddTo(request);
        using HttpResponseMessage response = await client.SendAsync(request, cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                string? sub = (await response.Content.ReadFromJsonAsync<WhoamiBody>(cancellationToken))?.Sub;
                return sub == credential.User ? true : throw new InvalidOperationException($"the credential of {credential.User} was accepted as '{sub}'");
            case HttpStatusCode.Unauthorized:
                return false;
            default:
                throw new InvalidOperationException($"whoami answered {(int)response.StatusCode}");
        }
    }

    /// <summary>Signs <paramref name="credential"/> out (<c>POST /bench/revoke</c>, as TargetChecks does).</summary>
    public static async Task RevokeAsync(HttpClient client, Credential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(credential);
        using var revoke = new HttpRequestMessage(HttpMethod.Post, "/bench/revoke");
        credential.AddTo(revoke);
        using HttpResponseMessage response = await client.SendAsync(revoke, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException($"revoke answered {(int)response.StatusCode}");
        }
    }

    private sealed record WhoamiBody(string? Sub);
}

/// <summary>
/// Redis's own counters, read with INFO: commands processed (every command any client sent) and
/// the server process's CPU time (/proc), so a run can report store commands per request and the
/// store's CPU per command.
/// </summary>
public sealed class RedisCounters : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly IServer _server;
    private readonly int _processId;

    private RedisCounters(ConnectionMultiplexer connection, IServer server, int processId)
    {
        _connection = connection;
        _server = server;
        _processId = processId;
    }

    public static async Task<RedisCounters> ConnectAsync(string configuration)
    {
        // INFO is an admin command for StackExchange.Redis.
        ConfigurationOptions options = ConfigurationOptions.Parse(configuration);
        options.AllowAdmin = true;
        ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(options);
        IServer server = connection.GetServer(connection.GetEndPoints()[0]);
        int pid = int.Parse(await FieldAsync(server, "server", "process_id"), CultureInfo.InvariantCulture);
        return new RedisCounters(connection, server, pid);
    }

    /// <summary>total_commands_processed and the process's CPU time, now.</summary>
    public async Task<(long Commands, TimeSpan Cpu)> ReadAsync() =>
        (long.Parse(await FieldAsync(_server, "stats", "total_commands_processed"), CultureInfo.InvariantCulture), ProcessStats.CpuTime(_processId));

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private static async Task<string> FieldAsync(IServer server, string section, string field)
    {
        string text = (string?)await server.ExecuteAsync("INFO", section) ?? "";
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return line[(field.Length + 1)..].Trim();
            }
        }

        throw new InvalidOperationException($"INFO {section} has no {field}");
    }
}
