using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.RateLimiting;

/// <summary>ASP.NET Core rate-limiting policies for the credential endpoints, and their 429 answer.</summary>
public static class TesseraRateLimiting
{
    public const string SignInPolicy = "tessera-sign-in";
    public const string RegisterPolicy = "tessera-register";
    public const string TokenPolicy = "tessera-token";
    public const string IntrospectPolicy = "tessera-introspect";

    public static IServiceCollection AddTesseraRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<AccountSignInLimiter>();
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignInPolicy, context => PerClient(context, limits => limits.SignInPerClient));
            limiter.AddPolicy(RegisterPolicy, context => PerClient(context, limits => limits.RegisterPerClient));
            limiter.AddPolicy(TokenPolicy, context => PerClient(context, limits => limits.TokenPerClient));
            limiter.AddPolicy(IntrospectPolicy, context => PerClient(context, limits => limits.IntrospectPerClient));
            limiter.OnRejected = (context, cancellationToken) =>
                WriteRejectionAsync(context.HttpContext, context.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter) ? retryAfter : null);
        });
    }

    /// <summary>Writes the 429 problem with a Retry-After (RFC 9110 §10.2.3) when the limiter knows it.</summary>
    public static async ValueTask WriteRejectionAsync(HttpContext context, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(context);
        SetRetryAfter(context.Response, retryAfter);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = TesseraProblems.Details(StatusCodes.Status429TooManyRequests, TesseraErrorCodes.RateLimited, "Too many attempts; wait a little and try again."),
        }).ConfigureAwait(false);
    }

    /// <summary>The 429 problem for a limit enforced inside an endpoint.</summary>
    public static IResult Rejection(HttpResponse response, TimeSpan? retryAfter)
    {
        SetRetryAfter(response, retryAfter);
        return TesseraProblems.Problem(StatusCodes.Status429TooManyRequests, TesseraErrorCodes.RateLimited, "Too many attempts; wait a little and try again.");
    }

    /// <summary>Sets <c>Retry-After</c> in whole seconds (at least 1) when the wait is known.</summary>
    internal static void SetRetryAfter(HttpResponse response, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static RateLimitPartition<string> PerClient(HttpContext context, Func<TesseraRateLimitOptions, FixedWindowLimit> select)
    {
        FixedWindowLimit limit = select(context.RequestServices.GetRequiredService<IOptions<TesseraRateLimitOptions>>().Value);
        return RateLimitPartition.GetFixedWindowLimiter(ClientInfo.PartitionKey(context), _ => Options(limit));
    }

    internal static FixedWindowRateLimiterOptions Options(FixedWindowLimit limit) => new()
    {
        PermitLimit = limit.PermitLimit,
        Window = limit.Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
