using System.Net;
using System.Net.Http.Json;
using Tessera.LoadTarget;

namespace Tessera.LoadBench;

/// <summary>
/// Before and after the load: each credential is accepted as its own user, a request without one
/// is refused (so the scheme really guards the endpoint), and what revocation does.
/// </summary>
public static class TargetChecks
{
    public static async Task<IReadOnlyList<Credential>> SignInAsync(TargetProcess target, int users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var credentials = new List<Credential>();
        for (int i = 0; i < users; i++)
        {
            // User ids shaped like Tessera's (22 base64url characters), so subjects are realistic in size.
            if (await Credential.SignInAsync(target.Client, RandomIds.New128(), cancellationToken) is { } credential)
            {
                credentials.Add(credential);
            }
        }

        return credentials;
    }

    /// <summary>Throws when a credential is not accepted as its user, or a missing one is not refused.</summary>
    public static async Task VerifyAsync(TargetProcess target, IReadOnlyList<Credential> credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(credentials);
        bool authenticates = target.Scenario.Name != ScenarioNames.None;
        if (authenticates && credentials.Count == 0)
        {
            throw new InvalidOperationException($"{target.Scenario.Name}: sign-in produced no credential");
        }

        foreach (Credential credential in credentials)
        {
            (HttpStatusCode status, string? sub) = await WhoamiAsync(target, credential, cancellationToken);
            if (status != HttpStatusCode.OK || sub != credential.User)
            {
                throw new InvalidOperationException($"{target.Scenario.Name}: the credential of {credential.User} got {(int)status} as '{sub}'");
            }
        }

        (HttpStatusCode anonymous, string? who) = await WhoamiAsync(target, null, cancellationToken);
        HttpStatusCode expected = authenticates ? HttpStatusCode.Unauthorized : HttpStatusCode.OK;
        if (anonymous != expected)
        {
            throw new InvalidOperationException($"{target.Scenario.Name}: a request without credential got {(int)anonymous} ('{who}'), expected {(int)expected}");
        }
    }

    /// <summary>
    /// Signs a fresh user in, signs them out (<c>POST /bench/revoke</c>) and replays the old
    /// credential at once: true when it is refused, false when still accepted. Null for the ceiling.
    /// </summary>
    public static async Task<bool?> RefusedAfterRevocationAsync(TargetProcess target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (await Credential.SignInAsync(target.Client, RandomIds.New128(), cancellationToken) is not { } credential)
        {
            return null;
        }

        using (var revoke = new HttpRequestMessage(HttpMethod.Post, "/bench/revoke"))
        {
            credential.AddTo(revoke);
            using HttpResponseMessage response = await target.Client.SendAsync(revoke, cancellationToken);
            if (response.StatusCode != HttpStatusCode.NoContent)
            {
                throw new InvalidOperationException($"{target.Scenario.Name}: revoke answered {(int)response.StatusCode}");
            }
        }

        (HttpStatusCode status, _) = await WhoamiAsync(target, credential, cancellationToken);
        return status switch
        {
            HttpStatusCode.Unauthorized => true,
            HttpStatusCode.OK => false,
            _ => throw new InvalidOperationException($"{target.Scenario.Name}: a revoked credential got {(int)status}"),
        };
    }

    private static async Task<(HttpStatusCode Status, string? Sub)> WhoamiAsync(TargetProcess target, Credential? credential, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/bench/whoami");
        credential?.AddTo(request);
        using HttpResponseMessage response = await target.Client.SendAsync(request, cancellationToken);
        string? sub = response.StatusCode == HttpStatusCode.OK
            ? (await response.Content.ReadFromJsonAsync<WhoamiBody>(cancellationToken))?.Sub
            : null;
        return (response.StatusCode, sub);
    }

    private sealed record WhoamiBody(string? Sub);
}
