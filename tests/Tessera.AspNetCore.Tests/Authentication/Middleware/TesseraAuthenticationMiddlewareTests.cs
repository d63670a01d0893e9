using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.AspNetCore.Tests.Authorization;
using Tessera.AspNetCore.Tests.Bearer;

namespace Tessera.AspNetCore.Tests.Authentication.Middleware;

/// <summary>
/// <c>UseTesseraAuthentication()</c> leaves every request as <c>UseAuthentication()</c> leaves it
/// (compared answer for answer on two otherwise equal applications), takes its cheaper path only
/// when the default scheme is Tessera's and nothing else needs the framework, and a later
/// <c>AuthenticateAsync()</c> in the request sees the result the middleware got.
/// </summary>
public sealed class TesseraAuthenticationMiddlewareTests : BearerTestBase, IAsyncLifetime
{
    private readonly List<AuthenticationHost> _hosts = [];

    [Fact]
    public async Task EveryRequestEndsAsWithTheFrameworksMiddleware()
    {
        (AuthenticationHost fast, AuthenticationHost framework) = await StartPairAsync();
        string token = Issuer.Token();
        string[] credentials = [token, token + "x", "not-a-jwt", ""];

        for (int round = 0; round < 2; round++)
        {
            await AssertSameAsync(fast, framework, "/base/state", null);
            foreach (string credential in credentials)
            {
                await AssertSameAsync(fast, framework, "/base/state", credential);
                await AssertSameAsync(fast, framework, "/base/me", credential);
                await AssertSameAsync(fast, framework, "/base/claims", credential);
            }

            await AssertSameAsync(fast, framework, "/base/me", null);
        }

        // The cheaper path ran: of the framework's authentication service's runs, the fast application
        // has only those of the endpoint's own AuthenticateAsync() (2 rounds × 5 requests to /state);
        // the other application has one more per request (2 rounds × 14 requests).
        Assert.Equal(2 * 5, fast.ServiceRuns);
        Assert.Equal((2 * 5) + (2 * 14), framework.ServiceRuns);
    }

    [Fact]
    public async Task AUserFeatureTheRequestHadBeforeReceivesThePrincipalAsWithTheFramework()
    {
        AuthenticationHost fast = await StartAsync(fast: true, priorUserFeature: true);
        AuthenticationHost framework = await StartAsync(fast: false, priorUserFeature: true);
        string token = Issuer.Token();

        await AssertSameAsync(fast, framework, "/base/prior", token);
        await AssertSameAsync(fast, framework, "/base/prior", token + "x");
        await AssertSameAsync(fast, framework, "/base/prior", null);
        await AssertSameAsync(fast, framework, "/base/me", token);
        Assert.NotEqual("no user", await (await fast.GetAsync("/base/prior", token)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ASecondAuthenticateAsyncSeesTheMiddlewaresResult()
    {
        (AuthenticationHost fast, AuthenticationHost framework) = await StartPairAsync();
        string token = Issuer.Token();

        foreach (AuthenticationHost host in new[] { fast, framework })
        {
            long before = host.HandlerRuns;
            string state = await (await host.GetAsync("/base/state", token)).Content.ReadAsStringAsync();
            Assert.Contains("\"againSamePrincipal\":true", state, StringComparison.Ordinal);
            Assert.Contains("\"sameObject\":true", state, StringComparison.Ordinal);

            // One look at the credential per request, however many times the request asks.
            Assert.Equal(before + 1, host.HandlerRuns);

            before = host.HandlerRuns;
            HttpResponseMessage refused = await host.GetAsync("/base/me", token + "x");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(before + 1, host.HandlerRuns);
        }
    }

    [Fact]
    public async Task ASchemeThatHandlesRequestsGetsItsChanceFirst()
    {
        (AuthenticationHost fast, AuthenticationHost framework) = await StartPairAsync(a => a.AddScheme<AuthenticationSchemeOptions, CallbackHandler>(CallbackHandler.Name, null));
        string token = Issuer.Token();

        await AssertSameAsync(fast, framework, "/base/signin-callback", null);
        Assert.Equal("callback handled", await (await fast.GetAsync("/base/signin-callback", null)).Content.ReadAsStringAsync());
        await AssertSameAsync(fast, framework, "/base/state", token);
        await AssertSameAsync(fast, framework, "/base/me", token);

        // With a request handler registered, every request is the framework's.
        Assert.Equal(framework.ServiceRuns, fast.ServiceRuns);
    }

    [Fact]
    public async Task TheConfiguredDefaultSchemeIsTheOneAuthenticated()
    {
        // Another default authenticate scheme: the framework's middleware, with that scheme.
        (AuthenticationHost fast, AuthenticationHost framework) = await StartPairAsync(a =>
        {
            a.AddScheme<AuthenticationSchemeOptions, HeaderHandler>(HeaderHandler.Name, null);
            a.Services.Configure<AuthenticationOptions>(o => o.DefaultAuthenticateScheme = HeaderHandler.Name);
        });
        string token = Issuer.Token();
        await AssertSameAsync(fast, framework, "/base/state", token);
        await AssertSameAsync(fast, framework, "/base/me", null);
        Assert.Contains("\"sub\":\"header-user\"", await (await fast.GetAsync("/base/state", token)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(framework.ServiceRuns + 2, fast.ServiceRuns);

        // Tessera's bearer as the default authenticate scheme under another default scheme: the cheaper path.
        (fast, framework) = await StartPairAsync(a =>
        {
            a.AddScheme<AuthenticationSchemeOptions, HeaderHandler>(HeaderHandler.Name, null);
            a.Services.Configure<AuthenticationOptions>(o =>
            {
                o.DefaultScheme = HeaderHandler.Name;
                o.DefaultAuthenticateScheme = TesseraBearerDefaults.AuthenticationScheme;
            });
        });
        await AssertSameAsync(fast, framework, "/base/claims", token);
        await AssertSameAsync(fast, framework, "/base/me", null);
        Assert.Equal(0, fast.ServiceRuns);
        Assert.Equal(2, framework.ServiceRuns);
    }

    [Fact]
    public async Task AClaimsTransformationIsAppliedByTheFramework()
    {
        (AuthenticationHost fast, AuthenticationHost framework) = await StartPairAsync(a => a.Services.AddSingleton<IClaimsTransformation, TenantClaim>());
        string token = Issuer.Token();
        await AssertSameAsync(fast, framework, "/base/claims", token);
        Assert.Contains("x-transformed", await (await fast.GetAsync("/base/claims", token)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestWhoseServicesAreATenantsIsAuthenticatedWithThem()
    {
        // The application's own services are the framework's; the tenant's container adds a claims
        // transformation, and an authorization handler that refuses on a header. A request whose
        // services are the tenant's must be authenticated and authorized with them.
        AuthenticationHost fast = await StartAsync(fast: true, tenant: t =>
        {
            t.AddSingleton<IClaimsTransformation, TenantClaim>();
            t.AddSingleton<IAuthorizationHandler, DenyOnHeaderHandler>();
        });
        string token = Issuer.Token();

        Assert.Contains("x-transformed", await (await fast.GetAsync("/base/claims", token)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var denied = new HttpRequestMessage(HttpMethod.Get, "/base/me");
        denied.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        denied.Headers.Add(DenyOnHeaderHandler.Header, "yes");
        for (int round = 0; round < 3; round++)
        {
            Assert.Equal(HttpStatusCode.OK, (await fast.GetAsync("/base/me", token)).StatusCode);
            using HttpRequestMessage again = Clone(denied);
            Assert.Equal(HttpStatusCode.Forbidden, (await fast.Client.SendAsync(again)).StatusCode);
        }
    }

    [Fact]
    public async Task ATenantsHandlerWithOtherOptionsValidatesAgain()
    {
        // A middleware after authentication makes the tenant's container the request's services; its
        // bearer expects another audience. The endpoint's AuthenticateAsync() builds the tenant's handler,
        // which must validate the token with its own options (and refuse it), as under UseAuthentication(),
        // not answer the result the application's options gave.
        static void OtherAudience(IServiceCollection t) =>
            t.Configure<TesseraBearerOptions>(TesseraBearerDefaults.AuthenticationScheme, o => o.Audience = "https://other.example/api");
        AuthenticationHost fast = await StartAsync(fast: true, tenant: OtherAudience, tenantAfterAuthentication: true);
        AuthenticationHost framework = await StartAsync(fast: false, tenant: OtherAudience, tenantAfterAuthentication: true);
        string token = Issuer.Token();

        for (int round = 0; round < 2; round++)
        {
            await AssertSameAsync(fast, framework, "/base/state", token);
            string state = await (await fast.GetAsync("/base/state", token)).Content.ReadAsStringAsync();
            Assert.Contains("\"authenticated\":true", state, StringComparison.Ordinal);
            Assert.Contains("\"againSucceeded\":false", state, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnAcceptedTokenIsAuthenticatedWithoutMakingAHandler()
    {
        string category = typeof(TesseraBearerHandler).FullName!;
        var fastLoggers = new CountingLoggerFactory();
        var frameworkLoggers = new CountingLoggerFactory();
        AuthenticationHost fast = await StartAsync(fast: true, a => a.Services.AddSingleton<ILoggerFactory>(fastLoggers));
        AuthenticationHost framework = await StartAsync(fast: false, a => a.Services.AddSingleton<ILoggerFactory>(frameworkLoggers));
        string token = Issuer.Token();
        await AssertSameAsync(fast, framework, "/base/me", token);

        int fastBefore = fastLoggers.Made(category);
        int frameworkBefore = frameworkLoggers.Made(category);
        for (int i = 0; i < 3; i++)
        {
            await AssertSameAsync(fast, framework, "/base/me", token);
        }

        Assert.Equal(fastBefore, fastLoggers.Made(category));
        Assert.Equal(frameworkBefore + 3, frameworkLoggers.Made(category));

        // A refused token: only the challenge's handler, which answers the recorded refusal (the token is looked at once).
        long runs = fast.HandlerRuns;
        await AssertSameAsync(fast, framework, "/base/me", token + "x");
        await AssertSameAsync(fast, framework, "/base/me", null);
        Assert.Equal(fastBefore + 2, fastLoggers.Made(category));
        Assert.Equal(runs + 2, fast.HandlerRuns);

        // The framework's own lines for the scheme, event, level and message alike.
        Assert.Equal(frameworkLoggers.LinesOf(category), fastLoggers.LinesOf(category));
        foreach (int id in new[] { 7, 8, 9, 12 })
        {
            Assert.Contains(fastLoggers.LinesOf(category), l => l.EventId == id);
        }
    }

    [Fact]
    public async Task AnEventsOwnRefusalOfADpopTokenIsChallengedOnTheDpopScheme()
    {
        // RFC 9449 §7.2: the error goes on the challenge of the scheme the client used. Here an event
        // refuses in its own words (no properties of ours); the challenge, made by another handler from
        // the recorded result under UseTesseraAuthentication(), must still know the token came as DPoP.
        (AuthenticationHost fast, AuthenticationHost framework) = await StartPairAsync(a =>
            a.Services.PostConfigure<TesseraBearerOptions>(TesseraBearerDefaults.AuthenticationScheme, o => o.Events.OnAuthenticationFailed = context =>
            {
                context.Fail("refused by the application");
                return Task.CompletedTask;
            }));
        string token = Issuer.Token();
        foreach (AuthenticationHost host in new[] { fast, framework })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/base/me");
            request.Headers.TryAddWithoutValidation("Authorization", "DPoP " + token);
            HttpResponseMessage response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            string dpop = response.Headers.WwwAuthenticate.Single(h => h.Scheme == "DPoP").ToString();
            string bearer = response.Headers.WwwAuthenticate.Single(h => h.Scheme == "Bearer").ToString();
            Assert.Contains("error=", dpop, StringComparison.Ordinal);
            Assert.DoesNotContain("error=", bearer, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OptionsWithoutEventsAreAuthenticatedAsByTheFramework()
    {
        // The handler makes its own events when the options hold none (CreateEventsAsync).
        (AuthenticationHost fast, AuthenticationHost framework) = await StartPairAsync(a =>
            a.Services.PostConfigure<TesseraBearerOptions>(TesseraBearerDefaults.AuthenticationScheme, o => o.Events = null!));
        string token = Issuer.Token();
        await AssertSameAsync(fast, framework, "/base/claims", token);
        await AssertSameAsync(fast, framework, "/base/me", token + "x");
        Assert.Equal(HttpStatusCode.OK, (await fast.GetAsync("/base/me", token)).StatusCode);
    }

    [Fact]
    public async Task EventsFromTheRequestsServicesAndForwardingAreLeftToAHandler()
    {
        // Events of a type resolved from the request's services (EventsType): they must run, as with the framework.
        (AuthenticationHost fast, AuthenticationHost framework) = await StartPairAsync(a =>
        {
            a.Services.AddScoped<ClaimAddingEvents>();
            a.Services.Configure<TesseraBearerOptions>(TesseraBearerDefaults.AuthenticationScheme, o => o.EventsType = typeof(ClaimAddingEvents));
        });
        string token = Issuer.Token();
        for (int round = 0; round < 2; round++)
        {
            await AssertSameAsync(fast, framework, "/base/claims", token);
            await AssertSameAsync(fast, framework, "/base/me", token + "x");
        }

        Assert.Contains(ClaimAddingEvents.Claim, await (await fast.GetAsync("/base/claims", token)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A scheme that forwards its authentication to another: the other's principal, as with the framework.
        (fast, framework) = await StartPairAsync(a =>
        {
            a.AddScheme<AuthenticationSchemeOptions, HeaderHandler>(HeaderHandler.Name, null);
            a.Services.Configure<TesseraBearerOptions>(TesseraBearerDefaults.AuthenticationScheme, o => o.ForwardAuthenticate = HeaderHandler.Name);
        });
        await AssertSameAsync(fast, framework, "/base/state", token);
        await AssertSameAsync(fast, framework, "/base/me", null);
        Assert.Contains("\"sub\":\"header-user\"", await (await fast.GetAsync("/base/state", null)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Clone(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri);
        foreach (KeyValuePair<string, IEnumerable<string>> header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }

    private async Task<(AuthenticationHost Fast, AuthenticationHost Framework)> StartPairAsync(Action<AuthenticationBuilder>? services = null) =>
        (await StartAsync(fast: true, services), await StartAsync(fast: false, services));

    private async Task<AuthenticationHost> StartAsync(bool fast, Action<AuthenticationBuilder>? services = null, Action<IServiceCollection>? tenant = null, bool tenantAfterAuthentication = false, bool priorUserFeature = false)
    {
        AuthenticationHost host = await AuthenticationHost.StartAsync(o =>
        {
            o.Authority = Issuer.Authority;
            o.Audience = FakeIssuer.Audience;
            o.RequireHttps = false;
            o.TimeProvider = Time;
        }, fast, services, tenant, tenantAfterAuthentication, priorUserFeature);
        _hosts.Add(host);
        return host;
    }

    private static async Task AssertSameAsync(AuthenticationHost fast, AuthenticationHost framework, string path, string? token)
    {
        HttpResponseMessage a = await fast.GetAsync(path, token);
        HttpResponseMessage b = await framework.GetAsync(path, token);
        Assert.Equal(b.StatusCode, a.StatusCode);
        Assert.Equal(string.Join("|", b.Headers.WwwAuthenticate), string.Join("|", a.Headers.WwwAuthenticate));
        Assert.Equal(await b.Content.ReadAsStringAsync(), await a.Content.ReadAsStringAsync());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (AuthenticationHost host in _hosts)
        {
            await host.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>A scheme that handles requests itself (as remote sign-in handlers do their callback path).</summary>
    private sealed class CallbackHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder), IAuthenticationRequestHandler
    {
        public const string Name = "callback";

        public async Task<bool> HandleRequestAsync()
        {
            if (Request.Path != "/signin-callback")
            {
                return false;
            }

            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(Response, "callback handled");
            return true;
        }

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }

    /// <summary>An application's own scheme: anyone is "header-user".</summary>
    private sealed class HeaderHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "header";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "header-user")], Name)), Name)));
    }

    /// <summary>Bearer events resolved per request (<c>EventsType</c>): they add a claim to every accepted token's principal.</summary>
    private sealed class ClaimAddingEvents : TesseraBearerEvents
    {
        public const string Claim = "x-events-type";

        public override Task TokenValidated(BearerTokenValidatedContext context)
        {
            ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim(Claim, "1"));
            return base.TokenValidated(context);
        }
    }

    /// <summary>A claims transformation that adds an <c>x-transformed</c> claim.</summary>
    private sealed class TenantClaim : IClaimsTransformation
    {
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            var copy = principal.Clone();
            ((ClaimsIdentity)copy.Identity!).AddClaim(new Claim("x-transformed", "t1"));
            return Task.FromResult(copy);
        }
    }
}
