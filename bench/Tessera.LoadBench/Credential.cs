using System.Net.Http.Json;

namespace Tessera.LoadBench;

/// <summary>What a signed-in client sends with every request: one header.</summary>
public sealed record Credential(string User, string HeaderName, string HeaderValue)
{
    /// <summary>Bytes this header adds to each request on the wire: <c>Name: value\r\n</c> (ASCII).</summary>
    public int WireBytes => HeaderName.Length + 2 + HeaderValue.Length + 2;

    /// <summary>
    /// Signs <paramref name="user"/> in at the target and keeps what came back: the cookie of a
    /// Set-Cookie header, or the access token of a JSON body. Null when the scheme has no credential.
    /// </summary>
    public static async Task<Credential?> SignInAsync(HttpClient client, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using HttpResponseMessage response = await client.PostAsync(new Uri($"/bench/signin?user={user}", UriKind.Relative), null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"sign-in of {user} answered {(int)response.StatusCode}");
        }

        if (response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? cookies))
        {
            // The browser sends back only name=value.
            return new Credential(user, "Cookie", cookies.First().Split(';', 2)[0]);
        }

        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            TokenBody? body = await response.Content.ReadFromJsonAsync<TokenBody>(cancellationToken);
            return new Credential(user, "Authorization", "Bearer " + (body?.AccessToken ?? throw new InvalidOperationException("sign-in returned no accessToken")));
        }

        return null;
    }

    public void AddTo(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.TryAddWithoutValidation(HeaderName, HeaderValue);
    }

    private sealed record TokenBody(string? AccessToken);
}
