using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Dpop;
using Tessera.Dpop;

namespace Tessera.AspNetCore.Tests.Dpop;

/// <summary>The URI a proof's <c>htu</c> must name is built from the request; a request without a host has none.</summary>
public sealed class DpopHttpTests
{
    [Fact]
    public void TheTargetIsTheRequestWithoutItsQuery()
    {
        var http = new DefaultHttpContext();
        http.Request.Scheme = "https";
        http.Request.Host = new HostString("api.example.test");
        http.Request.PathBase = "/base";
        http.Request.Path = "/orders";
        http.Request.QueryString = new QueryString("?page=2");

        Assert.True(DpopTargetUri.Matches("https://api.example.test/base/orders", DpopHttp.TargetUri(http.Request)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void ARequestWithoutAHostHasATargetNoProofCanName(string? host)
    {
        // HTTP/1.0 without Host, or "Host:" empty: Kestrel accepts both. Building the URI once threw (a 500).
        var http = new DefaultHttpContext();
        http.Request.Scheme = "https";
        http.Request.Host = host is null ? default : new HostString(host);
        http.Request.Path = "/auth/token";

        Uri target = DpopHttp.TargetUri(http.Request);

        Assert.False(DpopTargetUri.Matches("https:///auth/token", target));
        Assert.False(DpopTargetUri.Matches("https://localhost/auth/token", target));
    }
}
