namespace Tessera.AspNetCore.Endpoints;

/// <summary>The answer of <c>GET /healthz</c> when every readiness check is healthy.</summary>
/// <param name="Status">Always <c>ok</c>.</param>
/// <param name="Stores">The stores that answered, such as <c>sqlite</c> or <c>postgres</c> and <c>redis</c>.</param>
public sealed record HealthResponse(string Status, IReadOnlyList<string> Stores);
