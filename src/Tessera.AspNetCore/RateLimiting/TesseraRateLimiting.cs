using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.RateLimiting;

/// <summary>ASP.NET Core rate-limiting policies for the credential endpoints, and their 429 answer.</summary>
public static class TesseraRateLimiting
{
    /// <summary>The policy on password sign-in, per client.</summary>
    public const string SignInPolicy = "tessera-sign-in";
    /// <summary>The policy on registration, per client.</summary>
    public const string RegisterPolicy = "tessera-register";
    /// <summary>The policy on the token endpoints, per client.</summary>
    public const string TokenPolicy = "tessera-token";
    /// <summary>The policy on introspection, per calling client.</summary>
    public const string IntrospectPolicy = "tessera-introspect";

    /// <summary>Adds the policies above and their 429 problem+json answer, counted in the registered throttle store.</summary>
    public static IServiceCollection AddTesseraRateLimiting(this IServiceCollection services)
    {
        services.TryAddSingleton<ThrottleLimits>();
        services.AddSingleton<AccountSignInLimiter>();
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignInPolicy, context => PerClient(context, SignInPolicy, limits => limits.SignInPerClient));
            limiter.AddPolicy(RegisterPolicy, context => PerClient(context, RegisterPolicy, limits => limits.RegisterPerClient));
            limiter.AddPolicy(TokenPolicy, context => PerClient(context, TokenPolicy, limits => limits.TokenPerClient));
            limiter.AddPolicy(IntrospectPolicy, context => PerClient(context, IntrospectPolicy, limits => limits.IntrospectPerClient));
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

    /// <summary>
    /// The client's partition of a policy, counted in the throttle store under
    /// <c>rate:{policy}:{client}</c>: in a cluster sharing Redis, one budget for all instances.
    /// </summary>
    private static RateLimitPartition<string> PerClient(HttpContext context, string policy, Func<TesseraRateLimitOptions, FixedWindowLimit> select)
    {
        IServiceProvider services = context.RequestServices;
        FixedWindowLimit limit = select(services.GetRequiredService<IOptions<TesseraRateLimitOptions>>().Value);
        ThrottleLimits limits = services.GetRequiredService<ThrottleLimits>();
        TimeProvider time = services.GetRequiredService<TimeProvider>();
        return RateLimitPartition.Get(ClientInfo.PartitionKey(context), client => new ThrottleStoreRateLimiter(limits, $"rate:{policy}:{client}", limit, time));
    }
}
