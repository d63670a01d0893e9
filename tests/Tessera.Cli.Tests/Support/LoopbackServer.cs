using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tessera.Cli.Tests.Support;

/// <summary>
/// A tiny HTTP/1.1 responder on 127.0.0.1 and a free port, for JWKS fetches. It reads each
/// request's head, then lets the scenario answer on the raw stream — correctly, with garbage,
/// or not at all.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<Stream, CancellationToken, Task> _respond;
    private readonly Task _acceptLoop;

    private LoopbackServer(Func<Stream, CancellationToken, Task> respond)
    {
        _respond = respond;
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The request heads received, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public Uri Url(string path = "/.well-known/jwks.json") => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}");

    /// <summary>Answers every request with <paramref name="status"/> and <paramref name="body"/>.</summary>
    public static LoopbackServer Serving(string body, int status = 200, string contentType = "application/json") =>
        new((stream, ct) => WriteResponseAsync(stream, status, contentType, Encoding.UTF8.GetBytes(body), ct));

    /// <summary>Accepts connections and reads requests, but never answers.</summary>
    public static LoopbackServer Hanging() => new((_, ct) => Task.Delay(Timeout.Infinite, ct));

    /// <summary>Sends the headers and a first part of the body, then stalls.</summary>
    public static LoopbackServer StallingMidBody() => new(async (stream, ct) =>
    {
        byte[] head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"keys\":[");
        await stream.WriteAsync(head, ct);
        await stream.FlushAsync(ct);
        await Task.Delay(Timeout.Infinite, ct);
    });

    /// <summary>Answers with bytes that are not HTTP at all.</summary>
    public static LoopbackServer SpeakingGarbage() => new(async (stream, ct) =>
    {
        await stream.WriteAsync("\x00\x01 this is not HTTP \xff\r\n\r\n"u8.ToArray(), ct);
        await stream.FlushAsync(ct);
    });

    /// <summary>Answers with a chunked body (no Content-Length) of <paramref name="size"/> bytes.</summary>
    public static LoopbackServer ServingChunked(int size) => new(async (stream, ct) =>
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"), ct);
        byte[] chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)' ');
        for (int sent = 0; sent < size; sent += chunk.Length)
        {
            int length = Math.Min(chunk.Length, size - sent);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{length:x}\r\n"), ct);
            await stream.WriteAsync(chunk.AsMemory(0, length), ct);
            await stream.WriteAsync("\r\n"u8.ToArray(), ct);
        }

        await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), ct);
        await stream.FlushAsync(ct);
    });

    /// <summary>Redirects every request to <paramref name="location"/>.</summary>
    public static LoopbackServer Redirecting(string location) => new((stream, ct) =>
        WriteAsync(stream, $"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", ct));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }

        _stop.Dispose();
    }

    private static Task WriteResponseAsync(Stream stream, int status, string contentType, byte[] body, CancellationToken ct) =>
        WriteAsync(stream, $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Error")}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n", ct, body);

    private static async Task WriteAsync(Stream stream, string head, CancellationToken ct, byte[]? body = null)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
        if (body is not null)
        {
            await stream.WriteAsync(body, ct);
        }

        await stream.FlushAsync(ct);
    }

    private async Task AcceptLoopAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(Task.Run(() => ServeAsync(client)));
            }
        }
        finally
        {
            await Task.WhenAll(connections);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                Requests.Enqueue(await ReadHeadAsync(stream, _stop.Token));
                await _respond(stream, _stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // The client went away, or the server is stopping.
            }
        }
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken ct)
    {
        var head = new StringBuilder();
        byte[] one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 16 * 1024)
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                break;
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}
