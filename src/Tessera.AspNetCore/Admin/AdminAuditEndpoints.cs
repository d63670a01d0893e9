using Microsoft.AspNetCore.Http;
using Tessera.Audit;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.Admin;

/// <summary>
/// <c>GET /admin/audit</c>: the audit log, newest first, filtered by <c>userId</c>, <c>actorId</c>
/// and <c>type</c>; <c>before</c> is the previous page's <c>next</c>, <c>limit</c> 1 to 500 (100).
/// </summary>
internal static class AdminAuditEndpoints
{
    // Ids and event types are short; a longer filter cannot match and is a mistake worth naming.
    private const int MaximumFilterLength = 200;

    public static async Task<IResult> ListAsync(string? userId, string? actorId, string? type, string? before, string? limit, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (!AdminQuery.TryLimit(limit, 100, AuditQuery.MaxLimit, out int pageSize, out IResult? problem)
            || !AdminQuery.TrySequence("before", before, out long? cursor, out problem))
        {
            return problem!;
        }

        foreach ((string name, string? value) in new[] { ("userId", userId), ("actorId", actorId), ("type", type) })
        {
            if (value is { Length: > MaximumFilterLength })
            {
                return TesseraProblems.Validation(name, $"The {name} filter may have at most {MaximumFilterLength} characters.");
            }
        }

        AuditPage page = await audit.QueryAsync(
            new AuditQuery
            {
                UserId = Empty(userId),
                ActorId = Empty(actorId),
                Type = Empty(type),
                Before = cursor,
                Limit = pageSize,
            },
            cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new AdminAuditListResponse(page.Events, page.Next));
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>One page of audit events, newest first; <c>next</c> is the <c>before</c> of the next (older) page, null at the end.</summary>
/// <param name="Events">The events.</param>
/// <param name="Next">The cursor of the next page.</param>
public sealed record AdminAuditListResponse(IReadOnlyList<AuditEvent> Events, long? Next);
