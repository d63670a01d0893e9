using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.AspNetCore.Authentication.Middleware;
using Tessera.AspNetCore.Authorization;

namespace Tessera.AspNetCore.Tests.Authentication.Middleware;

/// <summary>
/// An API on TestServer authenticated by <c>UseTesseraAuthentication()</c> or by the framework's
/// <c>UseAuthentication()</c> (the same application otherwise), whose endpoints report what the
/// authentication middleware left on the request, so the two can be compared answer for answer.
/// Counts the bearer handler's runs (its message-received event) and the framework's authentication
/// service's runs (its <c>aspnetcore.authentication.authenticate.duration</c> measurements).
/// </summary>
internal sealed class AuthenticationHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly MeasurementCounter _serviceRuns;
    private long _handlerRuns;

    private AuthenticationHost(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
        _serviceRuns = new MeasurementCounter(app.Services, MeasurementCounter.Authentications);
    }

    public HttpClient Client { get; }

    /// <summary>How many times the framework's authentication service authenticated a request.</summary>
    public long ServiceRuns => _serviceRuns.Count;

    /// <summary>How many times the bearer handler looked at a request's credential.</summary>
    public long HandlerRuns => Interlocked.Read(ref _handlerRuns);

    /// <param name="configure">The bearer's options (issuer, audience, clock).</param>
    /// <param name="fast"><c>UseTesseraAuthentication()</c> when true, <c>UseAuthentication()</c> otherwise.</param>
    /// <param name="services">Registrations after the test's own (other schemes, a default scheme, a claims transformation).</param>
    /// <param name="tenant">Registrations of a second container that a middleware makes every request's services, as a multi-tenant application does.</param>
    /// <param name="tenantAfterAuthentication">Swap to the tenant's container after the authentication and authorization middleware rather than before.</param>
    /// <param name="priorUserFeature">Give every request a user feature before authentication, as a server with Windows authentication or an earlier middleware does; <c>/prior</c> reports its user.</param>
    public static async Task<AuthenticationHost> StartAsync(Action<TesseraBearerOptions> configure, bool fast, Action<AuthenticationBuilder>? services = null, Action<IServiceCollection>? tenant = null, bool tenantAfterAuthentication = false, bool priorUserFeature = false)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        AuthenticationHost? host = null;
        AuthenticationBuilder authentication = builder.Services.AddAuthentication(TesseraBearerDefaults.AuthenticationScheme).AddTesseraBearer(o =>
        {
            configure(o);
            o.Events.OnMessageReceived = _ =>
            {
                Interlocked.Increment(ref host!._handlerRuns);
                return Task.CompletedTask;
            };
        });
        builder.Services.AddAuthorization();
        services?.Invoke(authentication);
        builder.Services.TryMakeAuthorizationServicesSingletons();
        IServiceCollection registrations = builder.Services;
        WebApplication app = builder.Build();
        Action? swapToTenant = null;
        if (tenant is not null)
        {
            // A tenant's container: the application's registrations and the tenant's own, one scope per request.
            var tenantServices = new ServiceCollection();
            foreach (ServiceDescriptor descriptor in registrations)
            {
                ((ICollection<ServiceDescriptor>)tenantServices).Add(descriptor);
            }

            tenant(tenantServices);
            ServiceProvider tenantRoot = tenantServices.BuildServiceProvider();
            app.Lifetime.ApplicationStopped.Register(tenantRoot.Dispose);
            swapToTenant = () => app.Use((context, next) =>
            {
                IServiceScope scope = tenantRoot.CreateScope();
                context.Response.RegisterForDispose(scope);
                context.RequestServices = scope.ServiceProvider;
                return next(context);
            });
        }

        if (!tenantAfterAuthentication)
        {
            swapToTenant?.Invoke();
        }

        if (priorUserFeature)
        {
            app.Use((context, next) =>
            {
                var prior = new PriorUserFeature();
                context.Features.Set<IHttpAuthenticationFeature>(prior);
                context.Items[PriorUserFeature.Key] = prior;
                return next(context);
            });
        }

        app.UsePathBase("/base");
        if (fast)
        {
            app.UseTesseraAuthentication();
            app.UseTesseraAuthorization();
        }
        else
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        if (tenantAfterAuthentication)
        {
            swapToTenant?.Invoke();
        }

        app.MapGet("/me", (ClaimsPrincipal user) => user.FindFirstValue("sub") ?? "anonymous").RequireAuthorization();
        app.MapGet("/state", (Delegate)State);
        app.MapGet("/prior", (HttpContext context) => context.Items[PriorUserFeature.Key] is PriorUserFeature prior
            ? prior.User?.FindFirstValue("sub") ?? "no user"
            : "no feature");
        app.MapGet("/claims", (ClaimsPrincipal user) => string.Join(",", user.Claims.Select(c => c.Type).Order(StringComparer.Ordinal)));
        await app.StartAsync();
        host = new AuthenticationHost(app);
        return host;
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        _serviceRuns.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// What the authentication middleware left on the request, then what a second
    /// <c>AuthenticateAsync()</c> (as a controller makes) answers, and whether it is the same result.
    /// </summary>
    private static async Task<string> State(HttpContext context)
    {
        var state = new JsonObject();
        IAuthenticationFeature? original = context.Features.Get<IAuthenticationFeature>();
        state["originalPath"] = original?.OriginalPath.Value;
        state["originalPathBase"] = original?.OriginalPathBase.Value;
        state["path"] = context.Request.Path.Value;
        state["authenticated"] = context.User.Identity?.IsAuthenticated;
        state["authenticationType"] = context.User.Identity?.AuthenticationType;
        state["sub"] = context.User.FindFirstValue("sub");
        IAuthenticateResultFeature? result = context.Features.Get<IAuthenticateResultFeature>();
        IHttpAuthenticationFeature? http = context.Features.Get<IHttpAuthenticationFeature>();
        state["resultFeature"] = result?.AuthenticateResult?.Succeeded;
        state["resultScheme"] = result?.AuthenticateResult?.Ticket?.AuthenticationScheme;
        state["sameObject"] = ReferenceEquals(result, http);
        state["httpUserIsUser"] = http is not null && ReferenceEquals(http.User, context.User);
        AuthenticateResult again = await context.AuthenticateAsync();
        state["againSucceeded"] = again.Succeeded;
        state["againNone"] = again.None;
        state["againFailure"] = again.Failure?.Message;
        state["againSamePrincipal"] = again.Principal is not null && ReferenceEquals(again.Principal, context.User);
        state["againItems"] = again.Properties is null ? null : string.Join(",", again.Properties.Items.Select(i => i.Key + "=" + i.Value).Order(StringComparer.Ordinal));
        return state.ToJsonString();
    }

    // The user feature a request had before authentication.
    private sealed class PriorUserFeature : IHttpAuthenticationFeature
    {
        public const string Key = "tests.prior-user-feature";

        public ClaimsPrincipal? User { get; set; }
    }
}
