using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Authentication.IssuedBearer;
using Tessera.AspNetCore.Authentication.Middleware;
using Tessera.AspNetCore.Authorization;

namespace Tessera.AspNetCore.Tests.Authentication.Middleware;

/// <summary>
/// <c>UseTesseraAuthentication()</c> with the server's own bearer (a <c>TesseraAuthenticationHandler</c>,
/// backed by the session store) as the default authenticate scheme: accepted, refused, absent and
/// revoked credentials answer as with <c>UseAuthentication()</c>.
/// </summary>
public sealed class IssuedBearerFastPathTests
{
    [Fact]
    public async Task TheServersBearerAnswersAsWithTheFrameworksMiddleware()
    {
        static void DefaultIsTheBearer(IServiceCollection services) =>
            services.Configure<AuthenticationOptions>(o => o.DefaultAuthenticateScheme = IssuedBearerDefaults.AuthenticationScheme);
        await using IssuedBearerHost fast = await IssuedBearerHost.StartAsync(DefaultIsTheBearer, app =>
        {
            app.UseTesseraAuthentication();
            app.UseTesseraAuthorization();
        });
        await using IssuedBearerHost framework = await IssuedBearerHost.StartAsync(DefaultIsTheBearer, app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
        });

        using var fastRuns = new MeasurementCounter(fast.Services, MeasurementCounter.Authentications);
        string fastToken = (await fast.SignInForTokensAsync("alice")).GetProperty("access_token").GetString()!;
        string frameworkToken = (await framework.SignInForTokensAsync("alice")).GetProperty("access_token").GetString()!;
        for (int round = 0; round < 2; round++)
        {
            await AssertSameAsync(await fast.GetMeAsync("Bearer " + fastToken), await framework.GetMeAsync("Bearer " + frameworkToken), HttpStatusCode.OK);
            await AssertSameAsync(await fast.GetMeAsync("Bearer " + Tampered(fastToken)), await framework.GetMeAsync("Bearer " + Tampered(frameworkToken)), HttpStatusCode.Unauthorized);
            await AssertSameAsync(await fast.GetMeAsync("Basic abc"), await framework.GetMeAsync("Basic abc"), HttpStatusCode.Unauthorized);

            // Sent as DPoP (RFC 9449 §7.1): a tampered token, and an unbound one without a proof; the
            // challenge's error must stay on the DPoP challenge when the cached result answers it (§7.2).
            await AssertSameAsync(await fast.GetMeAsync("DPoP " + Tampered(fastToken)), await framework.GetMeAsync("DPoP " + Tampered(frameworkToken)), HttpStatusCode.Unauthorized);
            await AssertSameAsync(await fast.GetMeAsync("DPoP " + fastToken), await framework.GetMeAsync("DPoP " + frameworkToken), HttpStatusCode.Unauthorized);
        }

        // The cheaper path took every request of the fast application (sign-in endpoints included).
        Assert.Equal(0, fastRuns.Count);

        // Past the token's lifetime: refused alike.
        fast.Time.Advance(TimeSpan.FromHours(2));
        framework.Time.Advance(TimeSpan.FromHours(2));
        await AssertSameAsync(await fast.GetMeAsync("Bearer " + fastToken), await framework.GetMeAsync("Bearer " + frameworkToken), HttpStatusCode.Unauthorized);
    }

    // One signature character changed in the middle: still canonical base64url, so both tokens are
    // refused for their signature. Cutting characters off the end made the error depend on the
    // token's last bits (malformed when they were not zero), and the two hosts' tokens differ.
    private static string Tampered(string token)
    {
        int i = token.LastIndexOf('.') + 10;
        return token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
    }

    private static async Task AssertSameAsync(HttpResponseMessage fast, HttpResponseMessage framework, HttpStatusCode expected)
    {
        Assert.Equal(expected, framework.StatusCode);
        Assert.Equal(framework.StatusCode, fast.StatusCode);
        Assert.Equal(IssuedBearerHost.Challenge(framework), IssuedBearerHost.Challenge(fast));
        if (expected == HttpStatusCode.OK)
        {
            string[][] a = await IssuedBearerHost.ClaimsAsync(fast);
            string[][] b = await IssuedBearerHost.ClaimsAsync(framework);
            Assert.Equal(b.Select(c => c[0]), a.Select(c => c[0]));
        }
        else
        {
            Assert.Equal((await IssuedBearerHost.ProblemAsync(framework)).GetProperty("error").GetString(), (await IssuedBearerHost.ProblemAsync(fast)).GetProperty("error").GetString());
        }
    }
}
