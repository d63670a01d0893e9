using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Http;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Tests.Http;

public class CookieBudgetTests
{
    private static readonly CookieOptions Options = new() { HttpOnly = true, Secure = true, SameSite = SameSiteMode.Lax, Path = "/", MaxAge = TimeSpan.FromDays(400) };

    [Theory]
    [InlineData("plain")]
    [InlineData("needs escaping: ; , = é")]
    public void TheMeasureIsTheSetCookieTheResponseCarries(string value)
    {
        var http = new DefaultHttpContext();

        http.Response.Cookies.Append("__Host-name", value, Options);

        Assert.Equal(http.Response.Headers.SetCookie.ToString().Length, CookieBudget.SizeOf("__Host-name", value, Options));
    }

    [Fact]
    public void ACookieThatFitsIsWrittenOneThatDoesNotIsNot()
    {
        var http = new DefaultHttpContext();
        int overhead = CookieBudget.SizeOf("n", string.Empty, Options);
        string fits = new('v', CookieBudget.MaximumBytes - overhead);

        bool tooLarge = CookieBudget.TryAppend(http.Response, ("a", "small", Options), ("n", fits + "v", Options));
        Assert.Empty(http.Response.Headers.SetCookie.ToString()); // neither, not half
        bool written = CookieBudget.TryAppend(http.Response, ("n", fits, Options));

        Assert.False(tooLarge);
        Assert.True(written);
        Assert.Equal(CookieBudget.MaximumBytes, http.Response.Headers.SetCookie.ToString().Length);
    }

    [Fact]
    public void SessionCookieOptionsThatCannotFitAreRefusedWhenValidated()
    {
        var fits = new SessionCookieOptions { CookieName = "__Host-" + new string('n', 3900), RememberMe = true };
        var tooLong = new SessionCookieOptions { CookieName = "__Host-" + new string('n', 4050) };

        fits.Validate();
        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(tooLong.Validate);

        Assert.Contains("4096", refused.Message, StringComparison.Ordinal);
        Assert.Equal(43, SessionSecret.EncodedLength);
    }

    [Fact]
    public void APersistentSessionCookieLivesAtMost400Days()
    {
        CookieOptions cookie = SessionCookies.Options(new SessionCookieOptions { SameSite = SameSiteMode.Strict }, TimeSpan.FromDays(1000));

        Assert.Equal(TimeSpan.FromDays(400), cookie.MaxAge);
        Assert.Equal(SameSiteMode.Strict, cookie.SameSite);
    }
}
