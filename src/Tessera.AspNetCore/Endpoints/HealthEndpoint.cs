using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Http;
using Tessera.Stores;

namespace Tessera.AspNetCore.Endpoints;

/// <summary><c>GET /healthz</c>: 200 when every registered store answers within the timeout, else 503.</summary>
internal static class HealthEndpoint
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public static async Task<IResult> CheckAsync(IEnumerable<IStoreHealthProbe> probes, CancellationToken cancellationToken)
    {
        List<string> names = [];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        // A host may register a probe factory that answers null when its store is not in use.
        foreach (IStoreHealthProbe probe in probes.OfType<IStoreHealthProbe>())
        {
            try
            {
                await probe.ProbeAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is StoreUnavailableException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return TesseraProblems.Problem(StatusCodes.Status503ServiceUnavailable, TesseraErrorCodes.StoreUnavailable, $"The {probe.Name} store did not answer.");
            }

            names.Add(probe.Name);
        }

        return TypedResults.Ok(new HealthResponse("ok", names));
    }
}

/// <summary>The answer of <c>GET /healthz</c>.</summary>
/// <param name="Status"><c>ok</c> when every store answered.</param>
/// <param name="Stores">The names of the stores asked.</param>
public sealed record HealthResponse(string Status, IReadOnlyList<string> Stores);
