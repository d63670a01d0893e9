using System.Net;
using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.Tests.Http;

/// <summary>Rate-limit partitions (#14 finding 2): an IPv6 client is its /64, an IPv4 client its address.</summary>
public sealed class ClientPartitionTests
{
    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2:1111:2222:3333:4444")]
    [InlineData("fe80::1%1", "fe80::2%2")]
    public void IPv6AddressesInOneSlash64ShareAPartition(string first, string second)
    {
        Assert.Equal(Key(first), Key(second));
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1")]
    [InlineData("2001:db8:1:2::1", "2001:db9:1:2::1")]
    [InlineData("192.0.2.1", "192.0.2.2")]
    [InlineData("::ffff:192.0.2.1", "::ffff:192.0.2.2")]
    public void DifferentPrefixesOrIPv4AddressesDoNot(string first, string second)
    {
        Assert.NotEqual(Key(first), Key(second));
    }

    [Fact]
    public void AnIPv4MappedAddressIsItsIPv4Address()
    {
        Assert.Equal(Key("192.0.2.7"), Key("::ffff:192.0.2.7"));
        Assert.Equal("192.0.2.7", Key("::ffff:192.0.2.7"));
    }

    [Fact]
    public void TheIPv6PartitionNamesItsPrefix()
    {
        Assert.Equal("2001:db8:1:2::/64", Key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
    }

    [Fact]
    public void ACallerWithoutAnAddressIsUnknown()
    {
        Assert.Equal("unknown", ClientInfo.PartitionKey(new DefaultHttpContext()));
    }

    private static string Key(string address)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return ClientInfo.PartitionKey(context);
    }
}
