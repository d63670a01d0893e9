using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Authentication.Middleware;
using Tessera.AspNetCore.Authorization;
using Tessera.InMemory;
using Tessera.Server.Tests;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Tests.Authentication.Middleware;

/// <summary>
/// <c>UseTesseraAuthentication()</c> with the session cookie as the default authenticate scheme:
/// accepted, absent, unknown and signed-out cookies answer as with <c>UseAuthentication()</c>, the
/// scheme's events run once per request in both, the framework's log lines are the same, and an
/// accepted (or absent) cookie is authenticated without making a handler at all (a refused one
/// makes exactly one, which answers the recorded refusal).
/// </summary>
public sealed class SessionCookieFastPathTests
{
    private static readonly string HandlerCategory = typeof(SessionCookieHandler).FullName!;

    [Fact]
    public async Task TheSessionCookieAnswersAsWithTheFrameworksMiddlewareWithoutAHandlerPerAcceptedRequest()
    {
        await using Side fast = await Side.StartAsync(app =>
        {
            app.UseTesseraAuthentication();
            app.UseTesseraAuthorization();
        });
        await using Side framework = await Side.StartAsync(app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
        });

        string fastCookie = await fast.SignInAsync("alice");
        string frameworkCookie = await framework.SignInAsync("alice");
        const string Unknown = SessionCookieDefaults.CookieName + "=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        int frameworkBefore = framework.HandlersMade;
        for (int round = 0; round < 3; round++)
        {
            // Accepted: no handler at all.
            int before = fast.HandlersMade;
            await AssertSameAsync(fast, fastCookie, framework, frameworkCookie, HttpStatusCode.OK);
            Assert.Equal(before, fast.HandlersMade);

            // Absent: only the challenge's handler.
            await AssertSameAsync(fast, null, framework, null, HttpStatusCode.Unauthorized);
            Assert.Equal(before + 1, fast.HandlersMade);

            // Refused: only the challenge's handler, which answers the recorded refusal without looking at the cookie again.
            await AssertSameAsync(fast, Unknown, framework, Unknown, HttpStatusCode.Unauthorized);
            Assert.Equal(before + 2, fast.HandlersMade);
        }

        // The framework makes one handler for every request (its challenge included).
        Assert.Equal(frameworkBefore + 9, framework.HandlersMade);
        Assert.Equal(framework.Validated, fast.Validated);
        Assert.Equal(framework.Rejected, fast.Rejected);
        Assert.Equal(3, fast.Rejected);

        // Signed out: refused alike, by both.
        await fast.SignOutAsync(fastCookie);
        await framework.SignOutAsync(frameworkCookie);
        await AssertSameAsync(fast, fastCookie, framework, frameworkCookie, HttpStatusCode.Unauthorized);

        // The framework's own lines for the handler's scheme (authenticated, not, refused, challenged), as the framework writes them.
        Assert.Equal(framework.HandlerLines(), fast.HandlerLines());
        foreach (int id in new[] { 7, 8, 9, 12 })
        {
            Assert.Contains(fast.HandlerLines(), l => l.EventId == id);
        }
    }

    [Fact]
    public async Task AStoreOutageIsA503ThatKeepsTheCookieAsWithTheFrameworksMiddleware()
    {
        var outage = new StoreOutage();
        await using Side fast = await Side.StartAsync(app =>
        {
            app.UseTesseraAuthentication();
            app.UseTesseraAuthorization();
        }, outage);
        await using Side framework = await Side.StartAsync(app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }, outage);
        string fastCookie = await fast.SignInAsync("alice");
        string frameworkCookie = await framework.SignInAsync("alice");

        outage.Down = true;
        foreach ((Side side, string cookie) in new[] { (fast, fastCookie), (framework, frameworkCookie) })
        {
            HttpResponseMessage response = await side.GetMeAsync(cookie);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("store_unavailable", (await IssuedBearerHost.ProblemAsync(response)).GetProperty("error").GetString());
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            Assert.False(response.Headers.Contains("Set-Cookie"), "an outage says nothing about the cookie: it is kept");
        }

        outage.Down = false;
        await AssertSameAsync(fast, fastCookie, framework, frameworkCookie, HttpStatusCode.OK);
    }

    [Fact]
    public async Task WhatAnApplicationsValidatedHandlerSetsInAsyncLocalStateStaysInItAsWithTheFrameworksMiddleware()
    {
        // The fast path answers an accepted cookie without an async method of its own; an
        // application's handler must still run inside one, as the framework's handler base runs it,
        // so that async-local state it sets (a culture, an activity) does not leak into the request.
        foreach (bool tessera in new[] { true, false })
        {
            await using Side side = await Side.StartAsync(app =>
            {
                if (tessera)
                {
                    app.UseTesseraAuthentication();
                }
                else
                {
                    app.UseAuthentication();
                }

                app.Use((context, next) =>
                {
                    context.Response.Headers["X-Set-By-Handler"] = Side.SetByHandler.Value ?? "-";
                    return next(context);
                });
                app.UseAuthorization();
            });
            string cookie = await side.SignInAsync("alice");

            HttpResponseMessage response = await side.GetMeAsync(cookie);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, side.Validated);
            Assert.Equal("-", Assert.Single(response.Headers.GetValues("X-Set-By-Handler")));
        }
    }

    private static async Task AssertSameAsync(Side fast, string? fastCookie, Side framework, string? frameworkCookie, HttpStatusCode expected)
    {
        HttpResponseMessage a = await fast.GetMeAsync(fastCookie);
        HttpResponseMessage b = await framework.GetMeAsync(frameworkCookie);
        Assert.Equal(expected, b.StatusCode);
        Assert.Equal(b.StatusCode, a.StatusCode);
        Assert.Equal(IssuedBearerHost.Challenge(b), IssuedBearerHost.Challenge(a));
        Assert.Equal(b.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? x) ? string.Join("|", x) : "", a.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? y) ? string.Join("|", y) : "");
        if (expected == HttpStatusCode.OK)
        {
            string[][] fastClaims = await IssuedBearerHost.ClaimsAsync(a);
            Assert.Equal((await IssuedBearerHost.ClaimsAsync(b)).Select(c => c[0]), fastClaims.Select(c => c[0]));
            Assert.Contains(fastClaims, c => c[0] == Side.EventClaim);
        }
        else
        {
            Assert.Equal((await IssuedBearerHost.ProblemAsync(b)).GetProperty("error").GetString(), (await IssuedBearerHost.ProblemAsync(a)).GetProperty("error").GetString());
        }
    }

    /// <summary>One application: the session cookie as the default authenticate scheme, events that count and add a claim, every log line captured.</summary>
    private sealed class Side : IAsyncDisposable
    {
        public const string EventClaim = "x-validated-event";

        /// <summary>Set by the validated event; a later middleware of the same request must not see it.</summary>
        public static readonly AsyncLocal<string?> SetByHandler = new();

        private readonly CountingLoggerFactory _loggers = new();
        private IssuedBearerHost _host = null!;
        private int _validated;
        private int _rejected;

        public int HandlersMade => _loggers.Made(HandlerCategory);

        public int Validated => Volatile.Read(ref _validated);

        public int Rejected => Volatile.Read(ref _rejected);

        public static async Task<Side> StartAsync(Action<WebApplication> pipeline, StoreOutage? outage = null)
        {
            var side = new Side();
            side._host = await IssuedBearerHost.StartAsync(services =>
            {
                if (outage is not null)
                {
                    services.AddSingleton<ISessionStore>(sp => new FailingSessionStore(ActivatorUtilities.CreateInstance<InMemorySessionStore>(sp), outage));
                }

                services.AddSingleton<ILoggerFactory>(side._loggers);
                services.Configure<AuthenticationOptions>(o => o.DefaultAuthenticateScheme = SessionCookieDefaults.AuthenticationScheme);
                services.Configure<SessionCookieOptions>(SessionCookieDefaults.AuthenticationScheme, o =>
                {
                    o.Events.OnSessionValidated = context =>
                    {
                        SetByHandler.Value = "handler";
                        Interlocked.Increment(ref side._validated);
                        ((System.Security.Claims.ClaimsIdentity)context.Principal!.Identity!).AddClaim(new System.Security.Claims.Claim(EventClaim, "1"));
                        return Task.CompletedTask;
                    };
                    o.Events.OnSessionRejected = _ =>
                    {
                        Interlocked.Increment(ref side._rejected);
                        return Task.CompletedTask;
                    };
                });
            }, pipeline);
            return side;
        }

        public async Task<string> SignInAsync(string username)
        {
            (await _host.Client.PostAsJsonAsync("/auth/register", new { username, password = IssuedBearerHost.Password })).EnsureSuccessStatusCode();
            HttpResponseMessage response = await _host.Client.PostAsJsonAsync("/auth/session", new { username, password = IssuedBearerHost.Password });
            response.EnsureSuccessStatusCode();
            string setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SessionCookieDefaults.CookieName + "=", StringComparison.Ordinal));
            return setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
        }

        public async Task SignOutAsync(string cookie)
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, "/auth/session");
            request.Headers.Add("Cookie", cookie);
            HttpResponseMessage response = await _host.Client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"sign-out answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        public Task<HttpResponseMessage> GetMeAsync(string? cookie)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/me");
            if (cookie is not null)
            {
                request.Headers.Add("Cookie", cookie);
            }

            return _host.Client.SendAsync(request);
        }

        /// <summary>What the framework's handler base class (or the direct path in its stead) logged under the handler's category.</summary>
        public IReadOnlyList<CountingLoggerFactory.Line> HandlerLines() => _loggers.LinesOf(HandlerCategory);

        public ValueTask DisposeAsync() => _host.DisposeAsync();
    }
}
