using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.Keys;
using Tessera.Passwords;
using Tessera.Stores;

namespace Tessera.AspNetCore.Http;

/// <summary>
/// Maps exceptions that are not bugs to problem responses, at the status <see cref="TesseraErrorCatalog"/>
/// gives their code: an unreachable store is 503 <c>store_unavailable</c>, every password-hashing slot busy 503 <c>server_busy</c> with <c>Retry-After</c>, a request the framework could not read is its 4xx. Anything else falls
/// through to the default handler (500, no detail leaked).
/// </summary>
internal sealed partial class TesseraExceptionHandler(IProblemDetailsService problems, ILogger<TesseraExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        (int status, string code, string detail)? mapped = exception switch
        {
            StoreUnavailableException => Mapped(TesseraErrorCodes.StoreUnavailable, "A store did not answer; try again shortly."),
            PasswordHashingBusyException => Mapped(TesseraErrorCodes.ServerBusy, "Too many passwords are being checked right now; try again shortly."),
            KeyRingUnavailableException => Mapped(TesseraErrorCodes.KeyRingUnavailable, "Tokens cannot be issued right now: the signing keys are unreadable on this server."),
            BadHttpRequestException bad => (bad.StatusCode, TesseraErrorCatalog.CodeForStatus(bad.StatusCode), "The request could not be read."),
            // The form reader's own refusal (more than FormOptions.ValueCountLimit fields, a key or
            // value past its length limit: InvalidDataException; a multipart body that ends early: IOException):
            // the client's request, not our bug.
            InvalidDataException or IOException when httpContext.Request.HasFormContentType => (StatusCodes.Status400BadRequest, TesseraErrorCatalog.CodeForStatus(StatusCodes.Status400BadRequest), "The form could not be read."),
            _ => null,
        };
        if (mapped is not { } problem)
        {
            return false;
        }

        if (exception is StoreUnavailableException)
        {
            LogStoreUnavailable(logger, exception); // Retry-After: set for every 503 problem (AddTessera)
        }
        else if (exception is PasswordHashingBusyException busy)
        {
            // RFC 9110 §10.2.3: the gate says when a slot is likely free; set before the problem
            // writer, which adds the store outage's Retry-After only when none is there.
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(busy.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            LogHashingBusy(logger);
        }
        else if (exception is KeyRingUnavailableException)
        {
            // The message names the key and the remedy; it holds no key material.
            LogKeyRingUnavailable(logger, exception.Message);
        }

        httpContext.Response.StatusCode = problem.status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = TesseraProblems.Details(problem.status, problem.code, problem.detail),
        }).ConfigureAwait(false);
    }

    private static (int Status, string Code, string Detail) Mapped(string code, string detail) => (TesseraErrorCatalog.StatusFor(code), code, detail);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "A store is unavailable")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Every password-hashing slot is busy: request refused with 503 server_busy")]
    private static partial void LogHashingBusy(ILogger logger);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Critical, Message = "The key ring is unusable: {Reason}")]
    private static partial void LogKeyRingUnavailable(ILogger logger, string reason);
}
