using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Http;
using Tessera.Keys;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Admin;

/// <summary>The signing-key ring: see its keys with their states and dates, rotate it.</summary>
internal static class AdminKeyEndpoints
{
    public static async Task<IResult> ListAsync(SigningKeyRing ring, ISigningKeyStore store, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok(await DescribeAsync(ring, store, time, cancellationToken).ConfigureAwait(false));

    /// <summary>Adds a new signing key (after the publication lead, or at once with <c>immediately</c>), then lists the ring.</summary>
    public static async Task<IResult> RotateAsync(AdminKeyRotateRequest? request, SigningKeyRing ring, ISigningKeyStore store, IOptions<TesseraTokenOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> algorithms = options.Value.SigningAlgorithms;
        string algorithm = request?.Alg ?? options.Value.Algorithm;
        if (!algorithms.Contains(algorithm, StringComparer.Ordinal))
        {
            // A key of another algorithm would be published but sign nothing.
            return TesseraProblems.Validation("alg", $"The server signs with {string.Join(", ", algorithms)} (Tessera:Tokens:Algorithm and IdTokenAlgorithms); a key of another algorithm would sign nothing.");
        }

        await ring.RotateAsync(algorithm, request?.Immediately ?? false, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(await DescribeAsync(ring, store, time, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<AdminKeyListResponse> DescribeAsync(SigningKeyRing ring, ISigningKeyStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        // The ring first: it adds any key that is due, and its JWKS says what is still published.
        KeyRingSnapshot snapshot = await ring.GetAsync(cancellationToken).ConfigureAwait(false);
        HashSet<string> published = [.. snapshot.Published.Keys.Select(k => k.EffectiveKeyId)];
        DateTimeOffset now = Clock.Now(time);
        SigningKeyRecord[] keys = [.. (await store.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(k => k.Use == SigningKeyUses.Signing)
            .OrderBy(k => k.ActivatesAt).ThenBy(k => k.KeyId, StringComparer.Ordinal)];
        // As the ring's schedule decides: per algorithm, the newest key that has activated and was not retired signs.
        HashSet<string> current = [.. keys.GroupBy(k => k.Algorithm, StringComparer.Ordinal)
            .Select(g => g.LastOrDefault(k => k.ActivatesAt <= now && k.RetiresAt is null)?.KeyId)
            .OfType<string>()];
        return new AdminKeyListResponse([.. keys.Select(k => new AdminKeyResponse(
            k.KeyId, k.Algorithm, StateOf(k, current, published, now), k.CreatedAt, k.ActivatesAt, k.RetiresAt, published.Contains(k.KeyId)))]);
    }

    private static string StateOf(SigningKeyRecord key, HashSet<string> current, HashSet<string> published, DateTimeOffset now) =>
        current.Contains(key.KeyId) ? AdminKeyStates.Current
        : key.RetiresAt is null && key.ActivatesAt > now ? AdminKeyStates.Next
        : published.Contains(key.KeyId) ? AdminKeyStates.Retiring
        : AdminKeyStates.Retired;
}
