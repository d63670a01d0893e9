using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.Provider.RelyingParty.Tests;

/// <summary>
/// A relying party exactly as an ASP.NET Core developer writes one from Microsoft's documentation:
/// the cookie scheme plus the stock OpenID Connect handler pointed at Tessera. Nothing in it knows
/// Tessera: Authority, ClientId, ClientSecret and scopes are the whole connection. The pages are
/// plain HTML with stable ids so the browser test can read them.
/// </summary>
public sealed class RelyingPartyApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    /// <summary>What the app logged (warnings and errors), for a failing test's message.</summary>
    public CapturedLog Log { get; }

    private RelyingPartyApp(WebApplication app, Uri baseAddress, CapturedLog log)
    {
        _app = app;
        Log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The redirect URI the stock handler sends (its default CallbackPath).</summary>
    public static string RedirectUri(int port) => $"http://127.0.0.1:{port}/signin-oidc";

    /// <summary>Where the stock handler asks the provider to send the browser after logout (its default SignedOutCallbackPath).</summary>
    public static string PostLogoutRedirectUri(int port) => $"http://127.0.0.1:{port}/signout-callback-oidc";

    /// <param name="cookieName">
    /// Every app on 127.0.0.1 shares one cookie jar whatever the port (RFC 6265 §8.5), so two
    /// relying parties on one machine need two cookie names; on real hosts the default is fine.
    /// </param>
    public static async Task<RelyingPartyApp> StartAsync(Uri authority, int port, string clientId, string clientSecret, string cookieName, IEnumerable<string> extraScopes)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        var log = new CapturedLog();
        builder.Logging.ClearProviders().AddProvider(log);
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{port}");

        // --- The relying party, as docs/oauth.md shows it. ---
        builder.Services
            .AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(options => options.Cookie.Name = cookieName)
            .AddOpenIdConnect(options =>
            {
                options.Authority = authority.ToString();
                options.ClientId = clientId;
                options.ClientSecret = clientSecret;
                options.ResponseType = "code";
                options.UsePkce = true;
                options.SaveTokens = true;
                options.GetClaimsFromUserInfoEndpoint = true;
                options.Scope.Add("profile");
                options.Scope.Add("offline_access");
                foreach (string scope in extraScopes)
                {
                    options.Scope.Add(scope);
                }

                // Loopback http in this test; never in production.
                options.RequireHttpsMetadata = false;
                // Keep the claims under their OpenID Connect names (sub, sid, preferred_username).
                options.MapInboundClaims = false;
                options.TokenValidationParameters.NameClaimType = "preferred_username";
            });
        builder.Services.AddAuthorization();
        // --- end of the relying party. ---

        WebApplication app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/", (Delegate)ProtectedPage).RequireAuthorization();
        app.MapGet("/tokens", (Delegate)TokensPage).RequireAuthorization();
        // prompt and max_age (OIDC Core §3.1.2.1) through the stock challenge properties.
        app.MapGet("/login", (string? prompt, int? maxAge) =>
        {
            var properties = new OpenIdConnectChallengeProperties { RedirectUri = "/" };
            if (prompt is not null)
            {
                properties.Prompt = prompt;
            }

            if (maxAge is { } seconds)
            {
                properties.MaxAge = TimeSpan.FromSeconds(seconds);
            }

            return Results.Challenge(properties, [OpenIdConnectDefaults.AuthenticationScheme]);
        });
        app.MapGet("/logout", () => Results.SignOut(
            new AuthenticationProperties { RedirectUri = "/signed-out" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));
        app.MapGet("/signed-out", () => Html("Signed out", "<p id=\"signed-out\">You are signed out.</p>"));

        await app.StartAsync();
        return new RelyingPartyApp(app, new Uri($"http://127.0.0.1:{port}/"), log);
    }

    private static IResult ProtectedPage(HttpContext http)
    {
        var body = new StringBuilder();
        body.Append(CultureInvariant($"<h1 id=\"name\">{Encode(http.User.Identity?.Name)}</h1><ul id=\"claims\">"));
        foreach (System.Security.Claims.Claim claim in http.User.Claims)
        {
            body.Append(CultureInvariant($"<li data-type=\"{Encode(claim.Type)}\">{Encode(claim.Value)}</li>"));
        }

        body.Append("</ul><a id=\"logout\" href=\"/logout\">Sign out</a>");
        return Html("Signed in", body.ToString());
    }

    /// <summary>What SaveTokens kept in the cookie; a real app would call an API with the access token.</summary>
    private static async Task<IResult> TokensPage(HttpContext http)
    {
        string? access = await http.GetTokenAsync("access_token");
        string? id = await http.GetTokenAsync("id_token");
        string? refresh = await http.GetTokenAsync("refresh_token");
        return Html("Tokens", CultureInvariant(
            $"<pre id=\"access_token\">{Encode(access)}</pre><pre id=\"id_token\">{Encode(id)}</pre><pre id=\"refresh_token\">{Encode(refresh)}</pre>"));
    }

    private static IResult Html(string title, string body) =>
        Results.Content($"<!doctype html><html lang=\"en\"><head><title>{title}</title></head><body>{body}</body></html>", "text/html; charset=utf-8", statusCode: (int)HttpStatusCode.OK);

    private static string Encode(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    private static string CultureInvariant(FormattableString value) => FormattableString.Invariant(value);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
