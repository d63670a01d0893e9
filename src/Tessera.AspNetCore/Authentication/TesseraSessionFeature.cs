using Microsoft.AspNetCore.Http;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Authentication;

/// <summary>The session behind the current request, set by the session-cookie handler.</summary>
public sealed class TesseraSessionFeature(SessionRecord session)
{
    /// <summary>The session behind the request's credential.</summary>
    public SessionRecord Session { get; } = session;
}

/// <summary>Reads the session behind the current request.</summary>
public static class TesseraSessionHttpContextExtensions
{
    /// <summary>The authenticated session of this request, or null.</summary>
    public static SessionRecord? GetTesseraSession(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<TesseraSessionFeature>()?.Session;
    }
}
